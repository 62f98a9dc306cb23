"""FEEL subset: expressions (input expressions, output entries) and unary tests (input entries)."""
import datetime as dt
from decimal import Decimal

import pytest

from zsa_flow.dmn.feel import FeelSyntaxError, parse_expression, parse_unary_tests, tokenize
from zsa_flow.dmn.feel_types import DTDuration, Function, Range, YMDuration
from zsa_flow.dmn.feel_eval import CompiledUnaryTests, Env, evaluate, matches_unary, to_feel, to_jsonable


# -- expressions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, context, expected", [
    ("season", {"season": "Fall"}, "Fall"),
    ("antrag.person.alter", {"antrag": {"person": {"alter": 17}}}, 17),
    ("antrag.fehlt.alter", {"antrag": {}}, None),
    ("unbekannt", {}, None),
    ("1 + 2 * 3", {}, 7),
    ("(1 + 2) * 3", {}, 9),
    ("10 / 4", {}, Decimal("2.5")),
    ("2 ** 10", {}, 1024),
    ("-x + 1", {"x": 5}, -4),
    ("0.1 + 0.2", {}, Decimal("0.3")),
    ("betrag * 0.19", {"betrag": Decimal("99.99")}, Decimal("18.9981")),
    ("betrag * 0.19", {"betrag": Decimal("100.00")}, 19),
    ("preis * 3", {"preis": 0.1}, Decimal("0.3")),
    ('"Hunde" + "steuer"', {}, "Hundesteuer"),
    ('"say \\"hi\\""', {}, 'say "hi"'),
    ('"\\u00e4"', {}, "ä"),
    ("true", {}, True),
    ("false", {}, False),
    ("null", {}, None),
    ("x > 3 and x < 10", {"x": 5}, True),
    ("x > 3 and x < 10", {"x": 11}, False),
    ("x < 3 or y", {"x": 5, "y": True}, True),
    ("false and unbekannt > 1", {}, False),
    ("true and null", {}, None),
    ("x = null", {"x": None}, True),
    ("x != 3", {"x": 3}, False),
    ('x = "3"', {"x": 3}, None),  # different types: FEEL null, never a silent coercion
    ("x between 1 and 5", {"x": 5}, True),
    ("x between 1 and 5", {"x": 6}, False),
    ("x in [5..8]", {"x": 8}, True),
    ("x in ]5..8[", {"x": 8}, False),
    ("x in (5..8)", {"x": 5}, False),
    ('x in ("a", "b")', {"x": "b"}, True),
    ('x in ("a", "b")', {"x": "c"}, False),
    ("x in [1, 2, 3]", {"x": 2}, True),
    ("x in < 5", {"x": 2}, True),
    ('if alter >= 18 then "volljährig" else "minderjährig"', {"alter": 17}, "minderjährig"),
    ('date("2025-01-31")', {}, dt.date(2025, 1, 31)),
    ("date(2025, 2, 1)", {}, dt.date(2025, 2, 1)),
    ("date(d)", {"d": "2025-03-01"}, dt.date(2025, 3, 1)),
    ('date("2025-01-31").month', {}, 1),
    ('date and time("2025-01-31T10:30:00")', {}, dt.datetime(2025, 1, 31, 10, 30)),
    ('d < date("2025-01-01")', {"d": "2024-12-31"}, True),
    ("not(x)", {"x": False}, True),
    ("abs(-3.5)", {}, Decimal("3.5")),
    ("floor(2.7) + ceiling(2.1)", {}, 5),
    ("decimal(1 / 3, 2)", {}, Decimal("0.33")),
    ("min(3, 1, 2)", {}, 1),
    ("max([3, 1, 2])", {}, 3),
    ("sum(werte)", {"werte": [1, 2, Decimal("0.5")]}, Decimal("3.5")),
    ("count([1, 2, 3])", {}, 3),
    ('string length("Hund")', {}, 4),
    ('upper case("ags")', {}, "AGS"),
    ('contains(name, "katze")', {"name": "hauskatze"}, True),
    ('starts with("15003000", "15")', {}, True),
    ("number(s) + 1", {"s": "41"}, 42),
    ("string(42)", {}, "42"),
    ("`mein feld` + 1", {"mein feld": 1}, 2),
    ("1 / 0", {}, None),
    ("1 + \"a\"", {}, None),
    ("2 ** 100000", {}, None),
])
def test_expressions(text, context, expected):
    result = evaluate(text, context)
    assert result == expected
    assert type(result) is type(expected)


def test_numbers_are_exact_decimals_and_integral_values_become_int():
    assert evaluate("691.60") == Decimal("691.60")
    assert evaluate("5.0") == 5 and isinstance(evaluate("5.0"), int)
    assert to_jsonable(evaluate("691.60")) == "691.60"
    assert to_jsonable({"d": dt.date(2025, 1, 2), "n": [Decimal("1.5")]}) == {"d": "2025-01-02", "n": ["1.5"]}


def test_context_values_are_normalised():
    assert to_feel(3) == Decimal(3)
    assert to_feel(0.1) == Decimal("0.1")
    assert to_feel(True) is True
    assert to_feel(float("nan")) is None


@pytest.mark.parametrize("text, message", [
    ("1 +", "expected a value"),
    ("(1 + 2", "expected ')'"),
    ('"open', "unexpected character"),
    ("x $ 1", "unexpected character"),
    ("__import__(\"os\")", "unknown function"),
    ("eval(\"1\")", "unknown function"),
    ("for x in [1,2] return", "expected a value"),
    ("x instance of", "expected a type"),
    ("date(\"2025-13-01\")", "invalid date"),
    ("date(1, 2)", "2 argument"),
    ("[1..5", "closing the range"),
    ("1 2", "unexpected trailing text"),
    ("", "empty expression"),
    ("(" * 200 + "1" + ")" * 200, "nested deeper"),
    ("1" * 20_000, "longer than"),
    ("1" + " + 1" * 2000, "nested deeper"),
    ("-" * 500 + "1", "nested deeper"),
    ("[" * 100 + "]" * 100, "nested deeper"),
])
def test_expression_syntax_errors(text, message):
    with pytest.raises(FeelSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from zsa_flow.dmn.feel_eval import CompiledExpression
        CompiledExpression(text)


def test_dunder_and_attribute_walks_are_just_missing_names():
    # there is no Python object model behind names: "__class__" is an ordinary (missing) key
    assert evaluate("x.__class__", {"x": {"a": 1}}) is None
    assert evaluate("x.__class__.__bases__", {"x": 1}) is None


def test_tokenizer_reads_ranges_not_decimals():
    kinds = [(k, str(v)) for k, v, _ in tokenize("[1..10]")]
    assert kinds == [("op", "["), ("num", "1"), ("op", ".."), ("num", "10"), ("op", "]"), ("eof", "None")]


# -- unary tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, context, expected", [
    ("<= 8", 8, {}, True),
    ("<= 8", 9, {}, False),
    ("< 5", 4, {}, True),
    ("< 5", 5, {}, False),
    ("> 5", Decimal("5.01"), {}, True),
    (">= 5", 4.99, {}, False),
    ("= 3", 3, {}, True),
    ("!= 3", 3, {}, False),
    ("8", 8, {}, True),
    ("8", 8.0, {}, True),
    ("8", "8", {}, False),
    ("-8", -8, {}, True),
    ('"Fall"', "Fall", {}, True),
    ('"Fall"', "fall", {}, False),
    ("[5..8]", 5, {}, True),
    ("[5..8]", 8, {}, True),
    ("[5..8]", 9, {}, False),
    ("]0..10[", 0, {}, False),
    ("]0..10[", 10, {}, False),
    ("]0..10[", 5, {}, True),
    ("(0..10)", 0, {}, False),
    ("(0..10]", 10, {}, True),
    ("[1..10)", 10, {}, False),
    ("[1..10[", 1, {}, True),
    ("[0.5..1.5]", Decimal("1.5"), {}, True),
    ('"a","b"', "b", {}, True),
    ('"a", "b"', "c", {}, False),
    ("1, 2", 2, {}, True),
    ("1, 2", 3, {}, False),
    ("< 0, > 100", 101, {}, True),
    ("< 0, > 100", 50, {}, False),
    ("[1..3], [7..9]", 8, {}, True),
    ('not("a","b")', "c", {}, True),
    ('not("a","b")', "a", {}, False),
    ("not([1..5])", 3, {}, False),
    ("not([1..5])", 6, {}, True),
    ("not(< 5)", None, {}, False),
    ('not("a")', None, {}, True),
    ("-", None, {}, True),
    ("-", "whatever", {}, True),
    ("", 42, {}, True),
    ("  ", 42, {}, True),
    ("null", None, {}, True),
    ("null", 0, {}, False),
    ("< 5", None, {}, False),
    ('"Fall"', None, {}, False),
    ("true", True, {}, True),
    ("true", False, {}, False),
    ("false", False, {}, True),
    ("true", "true", {}, False),
    ('>= date("2025-01-01")', "2025-01-01", {}, True),
    ('>= date("2025-01-01")', "2024-12-31", {}, False),
    ('>= date("2025-01-01")', dt.date(2025, 6, 1), {}, True),
    ('[date("2025-01-01")..date("2025-12-31")]', "2025-07-01", {}, True),
    ('[date("2025-01-01")..date("2025-12-31")]', "2026-01-01", {}, False),
    ('< date("2025-01-01")', "kein Datum", {}, False),
    ("> stichtag", "2025-02-01", {"stichtag": dt.date(2025, 1, 1)}, True),
    ("> x", 5, {"x": 3}, True),
    ("> x", 5, {"x": 7}, False),
    ("[min..max]", 5, {"min": 1, "max": 5}, True),
    ("<= grenze * 2", 10, {"grenze": 5}, True),
    ("x", 5, {"x": 5}, True),
    ("? > 3 and ? < 6", 4, {}, True),
    ("? > 3 and ? < 6", 6, {}, False),
    ("cellInput > 3", 4, {}, True),
    ("[1, 2, 3]", 2, {}, True),
    ("x > 3", 1, {"x": 5}, True),  # a boolean expression is a test of its own
])
def test_unary_tests(text, value, context, expected):
    assert matches_unary(text, value, context) is expected


def test_long_but_flat_unary_test_lists_are_fine():
    text = ", ".join(f'"k{i}"' for i in range(500))
    assert matches_unary(text, "k499") is True and matches_unary(text, "k500") is False


def test_deep_unary_test_is_rejected_not_a_recursion_error():
    with pytest.raises(FeelSyntaxError, match="nested deeper"):
        CompiledUnaryTests("< " + " + ".join(["1"] * 2000))


def test_custom_input_variable_name():
    assert matches_unary("alter >= 18", 20, {}, input_name="alter") is True
    assert matches_unary("alter >= 18", 17, {}, input_name="alter") is False


def test_dash_alone_is_any_but_negative_numbers_are_values():
    assert parse_unary_tests("-") == ("any",)
    assert parse_unary_tests("-1")[0] == "tests"
    assert CompiledUnaryTests("-").is_any
    assert not CompiledUnaryTests("-1").is_any


@pytest.mark.parametrize("text", [
    "[5..8", "5..8]", "<=", "< 5,", '"a" "b"', "not(", "not(1) 2", ">> 5", "[1..2..3]", "{a: 1",
])
def test_unary_test_syntax_errors(text):
    with pytest.raises(FeelSyntaxError):
        CompiledUnaryTests(text)


def test_compiled_tests_are_reusable_across_inputs():
    tests = CompiledUnaryTests("[5..8], > 100")
    results = [tests.matches(Env({}, to_feel(v), "cellInput")) for v in (4, 5, 8, 9, 101)]
    assert results == [False, True, True, False, True]


def test_parse_expression_ast_shape():
    assert parse_expression("a.b + 1") == ("bin", "+", ("path", ("name", "a"), "b"), ("lit", Decimal(1)))


# -- hostile / arbitrary text: only FeelSyntaxError, never a crash of another kind ----------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FEEL_ALPHABET = st.sampled_from(
    list('0123456789.,()[]<>=!-+*/?"` \\') + ["..", "not", "and", "or", "x", "date", "if", "then", "else",
                                              "in", "between", "null", "true", "u00e4"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_FEEL_ALPHABET, max_size=40).map("".join), st.one_of(st.none(), st.integers(), st.text(max_size=5)))
def test_arbitrary_cell_text_only_raises_syntax_errors(text, value):
    for compile_and_run in (
        lambda: matches_unary(text, value, {"x": value}),
        lambda: evaluate(text, {"x": value}),
    ):
        try:
            result = compile_and_run()
        except FeelSyntaxError:
            continue
        assert result is None or isinstance(result, (bool, int, str, Decimal, list, dict, dt.date, dt.time,
                                                     DTDuration, YMDuration, Range, Function))


# -- full FEEL (DMN 1.5): the results are FEEL values, shown with string() where not plain -------

@pytest.mark.parametrize("text, context, expected", [
    ('"Hello " + Full Name', {"Full Name": "Anna Schmidt"}, "Hello Anna Schmidt"),
    (".872 * 1000", {}, 872),
    ("1.2e3", {}, 1200),
    ("{a: 1, b: a + 1}.b", {}, 2),
    ('{"Full Name": "X", greeting: "Hi " + Full Name}.greeting', {}, "Hi X"),
    ("[1, 2, 3, 4][item > 2]", {}, [3, 4]),
    ("[1, 2, 3][-1]", {}, 3),
    ("[{n: 1}, {n: 5}][n > 2].n", {}, [5]),
    ("for x in [1, 2, 3] return x * x", {}, [1, 4, 9]),
    ("for i in 1..3 return i", {}, [1, 2, 3]),
    ("for x in [1, 2], y in [10, 20] return x + y", {}, [11, 21, 12, 22]),
    ("some x in [1, 5] satisfies x > 4", {}, True),
    ("every x in [1, 5] satisfies x > 4", {}, False),
    ("5 in [1..10]", {}, True),
    ("null in [1..10]", {}, None),
    ("[1..10] = [1..10]", {}, True),
    ("(< 10) = (null..10)", {}, False),
    ("x instance of number", {"x": 1}, True),
    ('"a" instance of list<string>', {}, False),
    ("(function(a, b) a * b)(3, 4)", {}, 12),
    ("{f: function(a, b) a * b, r: f(3, 4)}.r", {}, 12),
    ("sort([3, 1, 2], function(x, y) x > y)", {}, [3, 2, 1]),
    ("decimal(1/3, 2.5)", {}, Decimal("0.33")),
    ("5 ** 2.55 > 60", {}, True),
    ('string(date("2024-01-31") + duration("P1M"))', {}, "2024-02-29"),
    ('string(date and time("2024-03-30T12:00:00") - date and time("2024-03-29T10:30:00"))', {}, "P1DT1H30M"),
    ('string(@"P1Y2M" + @"P10M")', {}, "P2Y"),
    ('@"2024-05-01" < @"2024-05-02"', {}, True),
    ('date and time("2018-12-08T00:00:00.0001") = date and time("2018-12-08T00:00:00")', {}, True),
    ('time("10:30:00+01:00") = time("09:30:00Z")', {}, True),
    ('day of week(date("2024-12-24"))', {}, "Tuesday"),
    ('years and months duration(date("2020-02-29"), date("2024-02-28")).years', {}, 3),
    ('string join(["a", "b"], ", ")', {}, "a, b"),
    ('substring("Hundesteuer", 6)', {}, "steuer"),
    ('replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")', {}, "(012) 345-6789"),
    ('matches("Mary\\nJones", "Mary.Jones")', {}, False),
    ("list contains([1, 2], 2)", {}, True),
    ("distinct values([1, 2, 1])", {}, [1, 2]),
    ("flatten([1, [2, [3]]])", {}, [1, 2, 3]),
    ("median([3, 1, 2])", {}, 2),
    ("modulo(-5, 3)", {}, 1),
    ('get value({a: 1}, "a")', {}, 1),
    ('context put({a: 1}, "b", 2)', {}, {"a": 1, "b": 2}),
    ("before(1, [2..5])", {}, True),
    ("overlaps([1..5], [4..8])", {}, True),
    ('substring(string: "abc", start position: 2)', {}, "bc"),
    ("round half up(2.5, 0)", {}, 3),
    ("sqrt(-1)", {}, None),
    ("count([1, 2, 3][item > 5])", {}, 0),
])
def test_full_feel(text, context, expected):
    result = evaluate(text, context)
    assert result == expected
    assert type(result) is type(expected)


def test_feel_numbers_are_decimal_with_34_digits():
    assert evaluate("1 / 3") == Decimal("0.3333333333333333333333333333333333")
    assert evaluate("0.1 + 0.2 = 0.3") is True


def test_temporal_values_come_back_as_python_values():
    assert evaluate('time("10:15:00")') == dt.time(10, 15)
    assert evaluate('duration("P2DT3H")') == DTDuration(2 * 86400 + 3 * 3600)
    assert evaluate('duration("P1Y6M")') == YMDuration(18)
    assert to_jsonable(evaluate('[duration("PT90M"), time("10:00:00Z")]')) == ["PT1H30M", "10:00:00Z"]


def test_names_known_to_the_caller_may_contain_keywords_and_symbols():
    names = {"Is eligible and active", "Post-bureau risk"}
    expr = __import__("zsa_flow.dmn.feel_eval", fromlist=["x"]).CompiledExpression(
        "if Is eligible and active then Post-bureau risk else 0", names)
    assert expr.evaluate({"Is eligible and active": True, "Post-bureau risk": 7}) == 7


def test_built_ins_whose_names_contain_keywords_are_read_as_one_name():
    from zsa_flow.dmn.feel_builtins import BUILTINS
    from zsa_flow.dmn.feel_lexer import KEYWORD_FUNCTIONS, KEYWORDS
    assert {n for n in BUILTINS if set(n.split()) & KEYWORDS} <= set(KEYWORD_FUNCTIONS)
    assert evaluate('index of(["a", "b", "a"], "a")') == [1, 3]


@pytest.mark.parametrize("text", [
    "for i in 1..1000000000 return i",
    "count(for a in 1..1000, b in 1..1000 return a)",
    "for d in @\"1000-01-01\"..@\"9999-01-01\" return false",
    "{f: function(n) f(n + 1)}.f(1)",
])
def test_hostile_iterations_and_recursion_end_in_null(text):
    assert evaluate(text) is None


def test_regular_expressions_that_could_backtrack_exponentially_are_refused():
    assert evaluate('matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "^(a+)+$")') is None
    assert evaluate('matches("aaa", "^(ab|a)+$")') is True


@pytest.mark.parametrize("text", [
    'for i in 1..40 return if i = 1 then "ab" else partial[-1] + partial[-1]',
    "for i in 1..40 return if i = 1 then [1, 2] else concatenate(partial[-1], partial[-1])",
])
def test_doubling_strings_and_lists_stop_at_the_size_limit(text):
    result = evaluate(text)
    assert result[-1] is None and len(result) == 40


def test_nanoseconds_are_kept_for_display_and_far_years_work():
    assert evaluate('string(date and time("2017-09-05T09:15:30.987654321@Europe/Paris"))') == \
        "2017-09-05T09:15:30.987654321@Europe/Paris"
    assert evaluate('string(date and time(date("2017-01-01"), time("23:59:01.123456789Z")))') == \
        "2017-01-01T23:59:01.123456789Z"
    assert evaluate('string(@"-2021-01-01T10:10:10+11:00" + @"P1M")') == "-2021-02-01T10:10:10+11:00"
    assert evaluate('date("-0001-12-31") < date("0001-01-01")') is True
    assert evaluate('string(date(999999999, 12, 31))') == "999999999-12-31"
    assert evaluate("date(y, 1, 1)", {"y": 1_000_000_000}) is None
