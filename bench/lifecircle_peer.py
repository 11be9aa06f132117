"""Peers of bench/lifecircle_bench.c on the same arcs: nearest of K sources for every node
(multi-source Dijkstra on the reversed graph) with python3-igraph (a zero-weight super-source)
and networkx (multi_source_dijkstra_path_length), both from Debian. Prints figures."""
import sys, time, gc

path = sys.argv[1]
with open(path) as f:
    n, m, k = map(int, f.readline().split())
    src = [int(f.readline()) for _ in range(k)]
    us, vs, ws = [], [], []
    for line in f:
        u, v, w = line.split()
        # reversed: time from each node to a source
        us.append(int(v)); vs.append(int(u)); ws.append(float(w))

def timed(fn):
    gc.collect(); t = time.perf_counter(); r = fn(); return r, time.perf_counter() - t

try:
    import igraph as ig
    def ig_run():
        g = ig.Graph(n=n + 1, edges=list(zip(us, vs)) + [(n, s) for s in src], directed=True)
        g.es["w"] = ws + [0.0] * k
        return g, g.distances(source=[n], weights="w", mode="out")[0][:n]
    (g, d), t = timed(ig_run)
    # the search alone, graph built
    d2, t2 = timed(lambda: g.distances(source=[n], weights="w", mode="out")[0][:n])
    print(f"igraph_version {ig.__version__}\nigraph_msd_s {t2:.3f}\nigraph_build_and_msd_s {t:.3f}\n"
          f"igraph_mean_min {sum(d2)/n/60:.3f}")
except ImportError:
    print("igraph skipped")
try:
    import networkx as nx
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(us, vs, ws))
    d, t = timed(lambda: nx.multi_source_dijkstra_path_length(G, src, weight="weight"))
    print(f"networkx_version {nx.__version__}\nnetworkx_msd_s {t:.3f}\n"
          f"networkx_mean_min {sum(d.values())/n/60:.3f}")
except ImportError:
    print("networkx skipped")
