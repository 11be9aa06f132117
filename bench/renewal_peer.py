#!/usr/bin/env python3
"""The peer of bench/renewal_bench.c: the same balance of the same projects in plain Python 3
(floats, the way an analyst scripts it beside the spreadsheet): net flows, loan schedules to
the fen, district outlay, NPV (year 0 undiscounted), IRR by Newton from 0.1 with bisection
fallback, payback, and the 16 sensitivity NPVs per project recomputed from scaled flows.
Prints the same checksums and its time (best of 3)."""
import sys, time, resource

def rnd_fen(x):
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)

def npv(flows, r):
    v, k = 0.0, 1.0 / (1.0 + r)
    for f in reversed(flows):
        v = v * k + f
    return v

def irr(flows):
    if not (any(f > 0 for f in flows) and any(f < 0 for f in flows)):
        return None
    r = 0.1
    for _ in range(100):
        f = npv(flows, r)
        d = sum(-t * x / (1 + r) ** (t + 1) for t, x in enumerate(flows))
        if d == 0:
            break
        nr = r - f / d
        if not (nr > -0.999) or nr > 1e6:
            break
        if abs(nr - r) < 1e-15 * (1 + abs(r)):
            return nr
        r = nr
    lo, hi = -0.99, 10.0
    flo = npv(flows, lo)
    if (flo > 0) == (npv(flows, hi) > 0):
        return None
    for _ in range(200):
        mid = (lo + hi) / 2
        fm = npv(flows, mid)
        if (fm <= 0) == (flo <= 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2

def pmt(p, r, n):
    return rnd_fen(p / n) if r == 0 else rnd_fen(p * r / (1 - (1 + r) ** -n))

def schedule(p, r, term, grace, repay):
    bal, rep = p, term - grace
    inst, part, out = pmt(p, r, rep), p // rep, []
    for i in range(term):
        it = rnd_fen(bal * r)
        pr = bal if i == term - 1 else (inst - it if repay == 0 else part) if i >= grace else 0
        pr = max(0, min(pr, bal))
        bal -= pr
        out.append(it + pr)
    return out

def balance(h, disc, ceiling, loans, amt):
    inc = [amt[2][t] + amt[3][t] + amt[4][t] + amt[5][t] for t in range(h + 1)]
    net = [inc[t] + amt[1][t] - amt[0][t] - amt[6][t] for t in range(h + 1)]
    debt, draw = [0] * (h + 1), [0] * (h + 1)
    for (p, rn, term, grace, dy, repay) in loans:
        draw[dy] += p
        for k, pay in enumerate(schedule(p, rn / 1e9, term, grace, repay)):
            if dy + k <= h:
                debt[dy + k] += pay
    outlay = [max(0, -(net[t] + draw[t] - debt[t])) for t in range(h + 1)]
    affordable = all(o <= ceiling for o in outlay)
    cum, c = [], 0
    for x in net:
        c += x
        cum.append(c)
    payback = -1
    for t in range(h, -1, -1):
        if cum[t] <= 0:
            break
        payback = t
    r = disc / 1e9
    n0 = rnd_fen(npv(net, r))
    has_irr = irr(net) is not None
    sens = 0
    for f in range(4):
        for s in (-0.2, -0.1, 0.1, 0.2):
            if f == 2:
                sens += rnd_fen(npv(net, r * (1 + s)))
                continue
            a = [row[:] for row in amt]
            kinds = [2] if f == 0 else [2, 3, 4, 5] if f == 1 else [0, 6]
            for k in kinds:
                a[k] = [x * (1 + s) for x in a[k]]
            flows = [a[2][t] + a[3][t] + a[4][t] + a[5][t] + a[1][t] - a[0][t] - a[6][t] for t in range(h + 1)]
            sens += rnd_fen(npv(flows, r))
    return n0, sens, n0 >= 0 and payback >= 0, affordable, has_irr

def main():
    projects = []
    for line in open(sys.argv[1]):
        v = [int(x) for x in line.split()]
        h, disc, ceiling = v[0], v[1], v[2]
        loans = [tuple(v[3 + 6 * k: 9 + 6 * k]) for k in range(2)]
        rest = v[15:]
        amt = [rest[k * (h + 1):(k + 1) * (h + 1)] for k in range(7)]
        projects.append((h, disc, ceiling, loans, amt))
    best, res = 1e300, None
    for _ in range(3):
        t0 = time.perf_counter()
        res = [balance(*p) for p in projects]
        best = min(best, (time.perf_counter() - t0) * 1e3)
    print(f"projects {len(projects)}\nbest_ms {best:.1f}\n"
          f"peak_rss_mib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}\n"
          f"npv_sum_fen {sum(r[0] for r in res)}\nsensitivity_sum_fen {sum(r[1] for r in res)}\n"
          f"balanced {sum(r[2] for r in res)}\naffordable {sum(r[3] for r in res)}\n"
          f"with_irr {sum(r[4] for r in res)}")

main()
