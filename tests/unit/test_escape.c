/* SPDX-License-Identifier: MIT */
/*
 * test_escape.c - the three escapers hold any byte: control characters,
 * escape sequences, invalid and overlong UTF-8, surrogates, markup.  And
 * the one-line copy lp_check() writes its reason with: every cut falls
 * between two characters, never inside one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "report/escape.h"

#include <stdlib.h>
#include <string.h>

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

static void line_is(const char *in, size_t size, const char *want)
{
  char out[64];

  memset(out, 'x', sizeof(out));
  assert_int_equal(lp_line_copy(out, in, size), strlen(want));
  assert_string_equal(out, want);
}

/* Cut at every size: a prefix of whole characters, as long as fits. */
static void test_line_copy(void **state)
{
  /* e-acute (2 bytes), a CJK character (3), an emoji (4) */
  static const char text[] = "r\xc3\xa9son \xe6\x97\xa5 \xf0\x9f\x98\x80!";
  static const size_t starts[] = {0, 1, 3, 4, 5, 6, 7, 10, 11, 15, 16}; /* its characters */
  char out[64];
  size_t size, n, k;
  unsigned long cp;

  (void)state;
  line_is("r\xc3\xa9son", 2, "r");
  line_is("r\xc3\xa9son", 3, "r");
  line_is("r\xc3\xa9son", 4, "r\xc3\xa9");
  line_is("a\xf0\x9f\x98\x80"
          "b",
          5, "a");
  line_is("a\xf0\x9f\x98\x80"
          "b",
          6, "a\xf0\x9f\x98\x80");
  line_is("one\nline\tand\rno\x1b[31mcontrol\x7f", 64, "one line and no [31mcontrol ");
  line_is("", 1, "");
  memset(out, 'x', sizeof(out));
  assert_int_equal(lp_line_copy(out, "abc", 0), 0);
  assert_int_equal(out[0], 'x');
  for (size = 1; size <= sizeof(text) + 1; size++) {
    n = lp_line_copy(out, text, size);
    assert_true(n < size);
    assert_memory_equal(out, text, n);
    for (k = 0; k < sizeof(starts) / sizeof(starts[0]) && starts[k] <= n; k++)
      ;
    assert_int_equal(n, starts[k - 1]); /* the longest whole prefix that fits */
    for (k = 0; k < n; k += lp_utf8_decode((const unsigned char *)out + k, n - k, &cp))
      assert_true(lp_utf8_decode((const unsigned char *)out + k, n - k, &cp) > 0);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_decoder), cmocka_unit_test(test_line_copy),
      cmocka_unit_test(test_json),         cmocka_unit_test(test_text),
      cmocka_unit_test(test_markdown),
  };
  return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
