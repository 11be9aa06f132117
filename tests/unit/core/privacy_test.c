/* Masking of phone and ID-card numbers as users see them. */
#include "core/privacy.h"
#include "test.h"

TEST(phones)
{
    char out[32];
    privacy_mask_phone("13812345678", out, sizeof(out));
    CHECK_STR(out, "138****5678");
    privacy_mask_phone("023-63801234", out, sizeof(out));
    CHECK_STR(out, "********1234");
    privacy_mask_phone("", out, sizeof(out));
    CHECK_STR(out, "");
    privacy_mask_phone(NULL, out, sizeof(out));
    CHECK_STR(out, "");
    privacy_mask_phone("110", out, sizeof(out));
    CHECK(strchr(out, '1') == NULL); /* too short to show anything */
    privacy_mask_phone("13812345678", out, 6);
    CHECK_INT(strlen(out), 5); /* truncated, never overflowing */
}

TEST(id_cards)
{
    char out[32];
    privacy_mask_id_card("500103199001011234", out, sizeof(out));
    CHECK_STR(out, "5001**********1234");
    privacy_mask_id_card("50010319900101123X", out, sizeof(out));
    CHECK_STR(out, "5001**********123X");
}

TEST_SUITE({"phones", phones}, {"id_cards", id_cards});
