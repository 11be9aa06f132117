/* The one place personal identifiers are masked: phone numbers (138****5678) and ID-card
 * numbers (5001**********1234). Every output path that may carry them goes through here. */
#ifndef CORE_PRIVACY_H
#define CORE_PRIVACY_H

#include <stddef.h>

/* Mask a phone number: keep the first 3 and last 4 digits of an 11-digit mobile number, or the
 * last 4 of anything else; "" stays "". Writes at most n bytes to out. */
void privacy_mask_phone(const char *phone, char *out, size_t n);

/* Mask an ID-card number: keep the first 4 and last 4 characters. */
void privacy_mask_id_card(const char *id, char *out, size_t n);

#endif
