/* SPDX-License-Identifier: MIT */
/*
 * test_escape.c - the three escapers hold any byte: control characters,
 * escape sequences, invalid and overlong UTF-8, surrogates, markup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "report/escape.h"

#include <stdlib.h>

static void expect(void (*esc)(struct lp_buf *, const char *), const char *in, const char *want)
{
  struct lp_buf b;
  char *got = NULL;

  lp_buf_init(&b);
  esc(&b, in);
  got = lp_buf_take(&b, NULL);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void test_utf8_decoder(void **state)
{
  unsigned long cp = 0;

  (void)state;
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
  assert_int_equal(cp, 0xe9);
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
  assert_int_equal(cp, 0x1f600);
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xc0\x80", 2, &cp), 0);     /* overlong */
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xe0\x80\xaf", 3, &cp), 0); /* overlong */
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp),
                   0); /* surrogate */
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp), 0); /* truncated */
  assert_int_equal(lp_utf8_decode((const unsigned char *)"\xff", 1, &cp), 0);
}

static void test_json(void **state)
{
  (void)state;
  expect(lp_esc_json, "plain", "\"plain\"");
  expect(lp_esc_json, "q\"b\\s/", "\"q\\\"b\\\\s/\"");
  expect(lp_esc_json, "\n\t\r\x01\x1b\x7f", "\"\\n\\t\\r\\u0001\\u001b\\u007f\"");
  expect(lp_esc_json, "caf\xc3\xa9 \xe2\x80\xa8", "\"caf\xc3\xa9 \\u2028\"");
  expect(lp_esc_json, "\xff\xc0\x80x\xe2\x82", "\"\\ufffd\\ufffd\\ufffdx\\ufffd\\ufffd\"");
}

static void test_text(void **state)
{
  (void)state;
  expect(lp_esc_text, "path/ok caf\xc3\xa9", "path/ok caf\xc3\xa9");
  expect(lp_esc_text, "\x1b[31mred\x07", "\\x1b[31mred\\x07");
  expect(lp_esc_text,
         "\xc2\x9b"
         "2J",
         "\\u009b2J"); /* C1 CSI */
  expect(lp_esc_text, "a\\b\xff", "a\\\\b\\xff");
  assert_int_equal(lp_text_width("caf\xc3\xa9"), 4);
  assert_int_equal(lp_text_width("\x1b\xff\\"), 10);
}

static void test_markdown(void **state)
{
  (void)state;
  expect(lp_esc_md, "a|b <script>&</script>", "a\\|b &lt;script&gt;&amp;&lt;/script&gt;");
  expect(lp_esc_md, "*x* _y_ `z` [l](u) ~s~ \\", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~ \\\\");
  expect(lp_esc_md, "line\nbreak\x1b\xff", "line break&#9243;\xef\xbf\xbd");
  expect(lp_esc_md, "(1.5) -x #y", "(1.5) -x #y");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_decoder),
      cmocka_unit_test(test_json),
      cmocka_unit_test(test_text),
      cmocka_unit_test(test_markdown),
  };
  return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
