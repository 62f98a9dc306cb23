"""DMN decision-table benchmark: one 100-rule table (3 inputs, UNIQUE, the matching rule last, so
every rule is tested), evaluated through the public API (parse once, evaluate N times).

    python -m bench.dmn [N]

Prints ms per evaluation (median of 5 rounds of N evaluations). Target: < 1 ms.
"""
import statistics
import sys
import time

from zsa_flow.dmn import parse_dmn

RULES = 100
NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def table_xml(rules=RULES):
    """A table: age in [i*10..i*10+9], Landkreis (string) and a date cut-off, one output."""
    rows = []
    for i in range(rules):
        kreis = f'"Kreis {i % 7}"' if i < rules - 1 else '"Kreis X"'
        rows.append(f"""<rule id="r{i}">
  <inputEntry><text>[{i * 10}..{i * 10 + 9}]</text></inputEntry>
  <inputEntry><text>{kreis}, "Stadt {i}"</text></inputEntry>
  <inputEntry><text>&gt;= date("2025-01-01")</text></inputEntry>
  <outputEntry><text>{i} * 1.5</text></outputEntry></rule>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{NS}" id="bench" name="bench" namespace="http://example.org/bench">
 <decision id="tarif" name="Tarif"><decisionTable id="t" hitPolicy="UNIQUE">
  <input id="i1" label="Alter"><inputExpression typeRef="number"><text>alter</text></inputExpression></input>
  <input id="i2" label="Kreis"><inputExpression typeRef="string"><text>kreis</text></inputExpression></input>
  <input id="i3" label="Antrag"><inputExpression typeRef="date"><text>antrag</text></inputExpression></input>
  <output id="o1" name="betrag" typeRef="number"/>
  {''.join(rows)}
 </decisionTable></decision>
</definitions>""".encode()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    n = int(argv[0]) if argv else 2000
    doc = parse_dmn(table_xml(), "bench.dmn")
    context = {"alter": (RULES - 1) * 10 + 5, "kreis": "Kreis X", "antrag": "2025-06-01"}
    assert doc.evaluate("tarif", context).single_entry() is not None
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(n):
            doc.evaluate("tarif", context)
        rounds.append((time.perf_counter() - started) * 1000 / n)
    print(f"decision table, {RULES} rules x 3 inputs: {statistics.median(rounds):.3f} ms per evaluation "
          f"(median of 5 x {n}; target < 1 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
