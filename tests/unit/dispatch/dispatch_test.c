/* The dispatch classifier: normalisation and n-gram hashing of mixed Chinese / ASCII /
 * full-width text, empty and very long texts, a tiny training set with known predictions, the
 * model's save/load round trip and version check, the confidence threshold, the CSV reader's
 * refusals and the scores. */
#include <stdlib.h>

#include "dispatch/dispatch.h"
#include "test.h"

static size_t norm(const char *s, uint32_t *out, size_t max)
{
    return dispatch_normalise(s, strlen(s), out, max);
}

TEST(full_width_letters_and_digits_become_half_width_lower_case)
{
    uint32_t a[32], b[32];
    /* "ＡＢＣ１２３路灯" and "abc123路灯" are the same text */
    size_t na =
        norm("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93路灯", a, 32);
    size_t nb = norm("ABC123路灯", b, 32);
    CHECK_INT(na, 8);
    CHECK_INT(nb, 8);
    CHECK(na == nb && memcmp(a, b, na * sizeof(uint32_t)) == 0);
    CHECK_INT(a[0], 'a');
    CHECK_INT(a[3], '1');
    CHECK_INT(a[6], 0x8def); /* 路 */
    /* ideographic space and runs of whitespace become one space, none at the ends */
    size_t nc = norm("\xe3\x80\x80 占道\t\n\r经营  ", a, 32);
    CHECK_INT(nc, 5);
    CHECK_INT(a[2], ' ');
}

TEST(the_same_text_in_either_width_gives_the_same_features)
{
    struct dispatch_vec a = {0}, b = {0};
    const char *fw = "\xef\xbc\xb7\xef\xbc\xa9\xef\xbc\xa6\xef\xbc\xa9信号差"; /* ＷＩＦＩ信号差 */
    const char *hw = "wifi信号差";
    dispatch_count(fw, strlen(fw), 18, &a);
    dispatch_count(hw, strlen(hw), 18, &b);
    CHECK(a.len > 0);
    CHECK_INT(a.len, b.len);
    CHECK(a.len == b.len && memcmp(a.idx, b.idx, a.len * sizeof(uint32_t)) == 0);
    /* 7 code points: 7 unigrams + 6 bigrams + 5 trigrams = 18 grams, "ifi" once: counts sum
     * to 18, indices ascending and in 1..2^18 */
    double sum = 0;
    for (size_t i = 0; i < a.len; i++) {
        sum += a.val[i];
        CHECK(a.idx[i] >= 1 && a.idx[i] <= (1u << 18));
        if (i)
            CHECK(a.idx[i] > a.idx[i - 1]);
    }
    CHECK_NEAR(sum, 18, 1e-9);
    dispatch_vec_release(&a);
    dispatch_vec_release(&b);
}

TEST(hash_separates_lengths_and_orders)
{
    uint32_t ab[] = {0x8def, 0x706f}, ba[] = {0x706f, 0x8def};
    CHECK(dispatch_hash(ab, 2, 22) != dispatch_hash(ba, 2, 22));
    CHECK(dispatch_hash(ab, 1, 22) != dispatch_hash(ab, 2, 22));
    CHECK(dispatch_hash(ab, 2, 10) >= 1 && dispatch_hash(ab, 2, 10) <= 1024);
}

TEST(empty_and_very_long_texts)
{
    struct dispatch_vec v = {0};
    dispatch_count("", 0, 16, &v);
    CHECK_INT(v.len, 0);
    dispatch_count("   \t\n", 5, 16, &v);
    CHECK_INT(v.len, 0);
    /* invalid UTF-8 is skipped, not read past */
    dispatch_count("\xe8\xb7", 2, 16, &v);
    CHECK_INT(v.len, 0);
    /* 100,000 characters: only the first DISPATCH_MAX_CODEPOINTS are read */
    size_t n = 100000;
    char *big = malloc(n * 3 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(big + 3 * i, i % 2 ? "路" : "灯", 3);
    big[n * 3] = 0;
    dispatch_count(big, n * 3, 16, &v);
    double sum = 0;
    for (size_t i = 0; i < v.len; i++)
        sum += v.val[i];
    CHECK_INT(v.len, 6); /* 路 灯 路灯 灯路 路灯路 灯路灯 */
    CHECK_NEAR(sum, 3.0 * DISPATCH_MAX_CODEPOINTS - 3, 1e-6);
    free(big);
    dispatch_vec_release(&v);
}

static const struct dispatch_example tiny[] = {
    {"市政设施", "路灯不亮了"},       {"市政设施", "小区门口路灯坏了"},
    {"市政设施", "井盖丢失有危险"},   {"市政设施", "路灯晚上不亮"},
    {"市政设施", "人行道井盖松动"},   {"市容环境", "垃圾堆放没人清运"},
    {"市容环境", "垃圾桶满了很臭"},   {"市容环境", "街边乱扔垃圾"},
    {"市容环境", "建筑垃圾乱倒"},     {"市容环境", "垃圾清运不及时"},
    {"噪声扰民", "晚上施工噪音太大"}, {"噪声扰民", "广场舞音响噪音扰民"},
    {"噪声扰民", "夜间施工噪声"},     {"噪声扰民", "楼下商铺音响噪音"},
    {"噪声扰民", "装修噪音影响休息"},
};
#define NTINY (sizeof(tiny) / sizeof(tiny[0]))

static struct dispatch_model *train_tiny(void)
{
    struct dispatch_model *m = NULL;
    struct app_error err = {0};
    struct dispatch_train_opts o = {.bits = 16, .cost = 0, .folds = 3};
    CHECK_INT(dispatch_train(tiny, NTINY, &o, &m, &err), 0);
    return m;
}

static const char *best(const struct dispatch_model *m, const char *text)
{
    static struct dispatch_suggestion s;
    dispatch_predict(m, text, strlen(text), 0, &s);
    return s.top[0].cls;
}

TEST(tiny_training_set_predicts_the_obvious_class)
{
    struct dispatch_model *m = train_tiny();
    if (!m)
        return;
    CHECK_INT(dispatch_model_nclasses(m), 3);
    CHECK_STR(dispatch_model_class(m, 0), "噪声扰民"); /* classes sorted by bytes */
    CHECK(dispatch_model_cost(m) >= 1);
    CHECK_STR(best(m, "我家楼下路灯不亮"), "市政设施");
    CHECK_STR(best(m, "垃圾没人清运"), "市容环境");
    CHECK_STR(best(m, "半夜施工噪音"), "噪声扰民");
    /* full-width and upper-case forms of a training text are the same text */
    struct dispatch_suggestion s;
    dispatch_predict(m, "路灯不亮了", strlen("路灯不亮了"), 0, &s);
    CHECK_INT(s.ntop, 3);
    CHECK(s.top[0].p > s.top[1].p && s.top[1].p >= s.top[2].p);
    CHECK_NEAR(s.top[0].p + s.top[1].p + s.top[2].p, 1.0, 1e-9);
    dispatch_model_free(m);
}

TEST(threshold_marks_a_weak_best_guess_unsure)
{
    struct dispatch_model *m = train_tiny();
    if (!m)
        return;
    struct dispatch_suggestion s;
    const char *clear = "路灯不亮井盖丢失";
    dispatch_predict(m, clear, strlen(clear), 0.5, &s);
    CHECK(!s.unsure);
    CHECK(s.top[0].p >= 0.5);
    /* a text with nothing the model has seen: probabilities near 1/3, below 0.5 */
    dispatch_predict(m, "qqq", 3, 0.5, &s);
    CHECK(s.unsure);
    CHECK(s.top[0].p < 0.5);
    /* the same suggestion, a threshold just above it and just below */
    dispatch_predict(m, clear, strlen(clear), 0, &s);
    double p = s.top[0].p;
    dispatch_predict(m, clear, strlen(clear), p + 1e-9, &s);
    CHECK(s.unsure);
    dispatch_predict(m, clear, strlen(clear), p, &s);
    CHECK(!s.unsure);
    dispatch_model_free(m);
}

TEST(save_and_load_give_the_same_model)
{
    struct dispatch_model *m = train_tiny(), *back = NULL;
    if (!m)
        return;
    char *data;
    size_t len;
    struct app_error err = {0};
    CHECK_INT(dispatch_model_save(m, &data, &len, &err), 0);
    CHECK_INT(dispatch_model_load(data, len, &back, &err), 0);
    if (back) {
        CHECK_INT(dispatch_model_nclasses(back), 3);
        CHECK_INT(dispatch_model_bits(back), 16);
        CHECK_INT(dispatch_model_trained_on(back), NTINY);
        const char *texts[] = {"路灯", "垃圾", "噪音", "", "完全无关的话"};
        for (size_t i = 0; i < 5; i++) {
            struct dispatch_suggestion a, b;
            dispatch_predict(m, texts[i], strlen(texts[i]), 0.5, &a);
            dispatch_predict(back, texts[i], strlen(texts[i]), 0.5, &b);
            for (int k = 0; k < 3; k++) {
                CHECK_STR(a.top[k].cls, b.top[k].cls);
                CHECK_NEAR(a.top[k].p, b.top[k].p, 1e-12);
            }
        }
        /* saving the loaded model gives the same bytes */
        char *again;
        size_t len2;
        dispatch_model_save(back, &again, &len2, &err);
        CHECK(len2 == len && memcmp(again, data, len) == 0);
        free(again);
        dispatch_model_free(back);
    }
    /* another format version is refused by name */
    data[10] = DISPATCH_FORMAT_VERSION + 1;
    CHECK_INT(dispatch_model_load(data, len, &back, &err), -1);
    CHECK_STR(err.code_name, "model_version");
    data[10] = DISPATCH_FORMAT_VERSION;
    /* one flipped byte in the weights: the checksum catches it */
    data[len - 10] ^= 0x40;
    CHECK_INT(dispatch_model_load(data, len, &back, &err), -1);
    CHECK_STR(err.code_name, "model_corrupt");
    /* a truncated file and a foreign file */
    CHECK_INT(dispatch_model_load(data, len / 2, &back, &err), -1);
    CHECK_INT(dispatch_model_load("solver_type L2R_LR\n", 19, &back, &err), -1);
    CHECK_STR(err.code_name, "model_format");
    free(data);
    dispatch_model_free(m);
}

TEST(training_refuses_one_class_and_empty_labels)
{
    struct dispatch_model *m = NULL;
    struct app_error err = {0};
    const struct dispatch_example one[] = {{"a", "x"}, {"a", "y"}};
    CHECK_INT(dispatch_train(one, 2, NULL, &m, &err), -1);
    CHECK_STR(err.code_name, "too_few_classes");
    const struct dispatch_example empty[] = {{"a", "x"}, {"", "y"}, {"b", "z"}};
    CHECK_INT(dispatch_train(empty, 3, NULL, &m, &err), -1);
    CHECK_STR(err.field, "label");
    CHECK(m == NULL);
}

TEST(csv_needs_label_and_text_columns_and_reports_the_line)
{
    struct dispatch_set s;
    struct app_error err = {0};
    const char *nolabel = "class,text\na,b\n";
    CHECK_INT(dispatch_set_parse(nolabel, strlen(nolabel), &s, &err), -1);
    CHECK_STR(err.field, "label");
    CHECK_STR(err.code_name, "missing_column");
    const char *emptylab = "label,text\na,x\n,y\n";
    CHECK_INT(dispatch_set_parse(emptylab, strlen(emptylab), &s, &err), -1);
    CHECK(strstr(err.message, "line 3") != NULL);
    /* BOM, quoted newline and doubled quote, CRLF; columns in either order */
    const char *ok =
        "\xef\xbb\xbftext,label\r\n\"第一行\n第二行，\"\"引号\"\"\",城乡建设\r\nb,交通运输\r\n";
    CHECK_INT(dispatch_set_parse(ok, strlen(ok), &s, &err), 0);
    CHECK_INT(s.len, 2);
    if (s.len == 2) {
        CHECK_STR(s.items[0].label, "城乡建设");
        CHECK_STR(s.items[0].text, "第一行\n第二行，\"引号\"");
    }
    dispatch_set_release(&s);
}

TEST(scores_count_top1_top3_and_macro_f1)
{
    struct dispatch_model *m = train_tiny();
    if (!m)
        return;
    const struct dispatch_example test[] = {
        {"市政设施", "路灯不亮"},
        {"市容环境", "垃圾清运"},
        {"噪声扰民", "施工噪音"},
        {"未知类别", "路灯"}, /* a class the model does not know: always wrong */
    };
    struct dispatch_scores sc;
    struct app_error err = {0};
    CHECK_INT(dispatch_evaluate(m, test, 4, &sc, &err), 0);
    CHECK_INT(sc.n, 4);
    CHECK_INT(sc.n_unknown, 1);
    CHECK_NEAR(sc.accuracy, 0.75, 1e-12);
    CHECK_NEAR(sc.top3, 0.75, 1e-12);
    /* 市政设施: tp 1, support 1, predicted 2 → F1 2/3; the other two 1; the unknown 0 */
    CHECK_NEAR(sc.macro_f1, (2.0 / 3 + 1 + 1 + 0) / 4, 1e-12);
    CHECK_INT(sc.confusion[0 * 3 + 0], 1);
    dispatch_scores_release(&sc);
    dispatch_model_free(m);
}

TEST_SUITE({"full_width_letters_and_digits_become_half_width_lower_case",
            full_width_letters_and_digits_become_half_width_lower_case},
           {"the_same_text_in_either_width_gives_the_same_features",
            the_same_text_in_either_width_gives_the_same_features},
           {"hash_separates_lengths_and_orders", hash_separates_lengths_and_orders},
           {"empty_and_very_long_texts", empty_and_very_long_texts},
           {"tiny_training_set_predicts_the_obvious_class",
            tiny_training_set_predicts_the_obvious_class},
           {"threshold_marks_a_weak_best_guess_unsure", threshold_marks_a_weak_best_guess_unsure},
           {"save_and_load_give_the_same_model", save_and_load_give_the_same_model},
           {"training_refuses_one_class_and_empty_labels",
            training_refuses_one_class_and_empty_labels},
           {"csv_needs_label_and_text_columns_and_reports_the_line",
            csv_needs_label_and_text_columns_and_reports_the_line},
           {"scores_count_top1_top3_and_macro_f1", scores_count_top1_top3_and_macro_f1});
