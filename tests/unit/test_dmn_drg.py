"""DMN beyond decision tables: input data, BKMs and their invocation, decision services, boxed
expressions and item definitions, with the values the DMN specification defines
(`DmnDocument.decision_value`, `service_values`)."""
from decimal import Decimal

import pytest

from zsa_flow.dmn import parse_dmn

NS = "https://www.omg.org/spec/DMN/20230324/MODEL/"


def model(body):
    return parse_dmn(f'<definitions xmlns="{NS}" id="m" name="m" namespace="http://example.org/m">'
                     f"{body}</definitions>", "m.dmn")


LOAN = """
<itemDefinition name="tAmount"><typeRef>number</typeRef><allowedValues><text>[0..1000000]</text></allowedValues>
</itemDefinition>
<inputData id="i1" name="Full Name"><variable name="Full Name" typeRef="string"/></inputData>
<inputData id="i2" name="Loan Amount"><variable name="Loan Amount" typeRef="tAmount"/></inputData>
<businessKnowledgeModel id="pmt" name="PMT">
  <variable name="PMT"/>
  <encapsulatedLogic>
    <formalParameter name="p" typeRef="number"/><formalParameter name="r" typeRef="number"/>
    <formalParameter name="n" typeRef="number"/>
    <literalExpression><text>(p * r / 12) / (1 - (1 + r / 12) ** -n)</text></literalExpression>
  </encapsulatedLogic>
</businessKnowledgeModel>
<decision id="greeting" name="Greeting Message">
  <variable name="Greeting Message" typeRef="string"/>
  <informationRequirement><requiredInput href="#i1"/></informationRequirement>
  <literalExpression><text>"Hello " + Full Name</text></literalExpression>
</decision>
<decision id="payment" name="Monthly Payment">
  <variable name="Monthly Payment" typeRef="number"/>
  <informationRequirement><requiredInput href="#i2"/></informationRequirement>
  <knowledgeRequirement><requiredKnowledge href="#pmt"/></knowledgeRequirement>
  <literalExpression><text>decimal(PMT(Loan Amount, .06, 36), 2)</text></literalExpression>
</decision>
<decision id="offer" name="Offer">
  <variable name="Offer"/>
  <informationRequirement><requiredDecision href="#greeting"/></informationRequirement>
  <informationRequirement><requiredDecision href="#payment"/></informationRequirement>
  <context>
    <contextEntry><variable name="rate"/>
      <invocation><literalExpression><text>PMT</text></literalExpression>
        <binding><parameter name="p"/><literalExpression><text>Loan Amount</text></literalExpression></binding>
        <binding><parameter name="r"/><literalExpression><text>0.06</text></literalExpression></binding>
        <binding><parameter name="n"/><literalExpression><text>36</text></literalExpression></binding>
      </invocation></contextEntry>
    <contextEntry><variable name="text"/>
      <literalExpression><text>Greeting Message + ", you pay " + string(Monthly Payment)</text></literalExpression>
    </contextEntry>
    <contextEntry><variable name="years"/>
      <list><literalExpression><text>1</text></literalExpression><literalExpression><text>2</text></literalExpression></list>
    </contextEntry>
  </context>
</decision>
<decisionService id="ds" name="Payment Service">
  <variable name="Payment Service"/>
  <outputDecision href="#payment"/>
  <inputData href="#i2"/>
</decisionService>
<decision id="via_service" name="Via Service">
  <variable name="Via Service"/>
  <knowledgeRequirement><requiredKnowledge href="#ds"/></knowledgeRequirement>
  <literalExpression><text>Payment Service(20000)</text></literalExpression>
</decision>
"""


@pytest.fixture(scope="module")
def loan():
    return model(LOAN)


def test_names_with_spaces_and_bkm_invocation(loan):
    inputs = {"Full Name": "Anna", "Loan Amount": Decimal(10000)}
    assert loan.decision_value("Greeting Message", inputs) == "Hello Anna"
    assert loan.decision_value("Monthly Payment", inputs) == Decimal("304.22")


def test_boxed_context_with_invocation_and_list(loan):
    value = loan.decision_value("Offer", {"Full Name": "Anna", "Loan Amount": 10000})
    assert value["text"] == "Hello Anna, you pay 304.22"
    assert round(value["rate"], 2) == Decimal("304.22")
    assert value["years"] == [1, 2]


def test_decision_service_direct_and_as_function(loan):
    assert loan.service_values("Payment Service", {"Loan Amount": 10000}) == {"Monthly Payment": Decimal("304.22")}
    assert loan.decision_value("Via Service", {}) == Decimal("608.44")


def test_values_not_conforming_to_their_type_are_null(loan):
    assert loan.decision_value("Monthly Payment", {"Loan Amount": 2_000_000}) is None  # allowed values
    assert loan.decision_value("Greeting Message", {"Full Name": 42}) is None  # a number is no string
    assert loan.decision_value("Greeting Message", {"Full Name": ["Anna"]}) == "Hello Anna"  # singleton list


def test_decision_table_inside_a_bkm_with_conditional_and_filter():
    doc = model("""
<businessKnowledgeModel id="b" name="Category">
  <variable name="Category"/>
  <encapsulatedLogic><formalParameter name="age" typeRef="number"/>
    <decisionTable hitPolicy="FIRST">
      <input><inputExpression typeRef="number"><text>age</text></inputExpression></input>
      <output name="c"/>
      <rule><inputEntry><text>&lt; 18</text></inputEntry><outputEntry><text>"minor"</text></outputEntry></rule>
      <rule><inputEntry><text>-</text></inputEntry><outputEntry><text>"adult"</text></outputEntry></rule>
    </decisionTable></encapsulatedLogic>
</businessKnowledgeModel>
<decision id="d" name="Adults">
  <variable name="Adults"/>
  <knowledgeRequirement><requiredKnowledge href="#b"/></knowledgeRequirement>
  <filter><in><literalExpression><text>[12, 30, 45]</text></literalExpression></in>
    <match><literalExpression><text>Category(item) = "adult"</text></literalExpression></match></filter>
</decision>
<decision id="e" name="Any Minor">
  <variable name="Any Minor"/>
  <knowledgeRequirement><requiredKnowledge href="#b"/></knowledgeRequirement>
  <conditional>
    <if><literalExpression><text>some a in [12, 30] satisfies Category(a) = "minor"</text></literalExpression></if>
    <then><literalExpression><text>"yes"</text></literalExpression></then>
    <else><literalExpression><text>"no"</text></literalExpression></else>
  </conditional>
</decision>""")
    assert doc.decision_value("Adults") == [30, 45]
    assert doc.decision_value("Any Minor") == "yes"


def test_table_results_as_values_multi_output_and_collect():
    doc = model("""
<decision id="t" name="Rates"><variable name="Rates"/>
  <decisionTable hitPolicy="COLLECT">
    <input><inputExpression typeRef="number"><text>n</text></inputExpression></input>
    <output name="rate"/><output name="label"/>
    <rule><inputEntry><text>&gt; 0</text></inputEntry><outputEntry><text>1</text></outputEntry>
      <outputEntry><text>"a"</text></outputEntry></rule>
    <rule><inputEntry><text>&gt; 5</text></inputEntry><outputEntry><text>2</text></outputEntry>
      <outputEntry><text>"b"</text></outputEntry></rule>
  </decisionTable></decision>""")
    assert doc.decision_value("Rates", {"n": 7}) == [{"rate": 1, "label": "a"}, {"rate": 2, "label": "b"}]
    assert doc.evaluate("t", {"n": 7}).result_list() == [{"rate": 1, "label": "a"}, {"rate": 2, "label": "b"}]
