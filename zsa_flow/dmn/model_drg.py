"""Reading the DRG elements besides decisions from a DMN file (for model.py's builder):
imports, item definitions, input data, business knowledge models and decision services."""
from .boxed import BoxedCompiler, child_expression, local
from .drg import Bkm, ItemDef, ItemDefs, Service
from .feel_eval import CompiledUnaryTests
from .feel_lexer import FeelSyntaxError


def _href_id(element):
    href = element.get("href") or ""
    return href.split("#", 1)[1] if "#" in href else href


def _item_def(builder, element):
    item = ItemDef(name=element.get("name") or "", is_collection=element.get("isCollection") == "true")
    for child in element:
        tag = local(child)
        if tag == "typeRef":
            item.type_ref = (child.text or "").strip() or None
        elif tag == "itemComponent":
            item.components.append(_item_def(builder, child))
        elif tag in ("allowedValues", "typeConstraint"):
            text = "".join(t.text or "" for t in child if local(t) == "text").strip()
            if text:
                try:
                    item.allowed = CompiledUnaryTests(text, None, builder.names)
                except FeelSyntaxError as exc:
                    builder.problem(child, item.name, f"allowed values {text!r}: {exc}")
        elif tag == "functionItem":
            item.function_type = True
    if element.get("typeRef"):
        item.type_ref = element.get("typeRef")
    return item


def read_drg(builder):
    root = builder.root
    builder.imports = {}
    for element in root:
        if local(element) == "import":
            builder.imports[element.get("namespace") or ""] = element.get("name") or ""
    builder.item_defs = ItemDefs()
    for element in root:
        if local(element) == "itemDefinition":
            item = _item_def(builder, element)
            builder.item_defs[item.name] = item
    builder.inputs = {}  # id -> (name, typeRef)
    for element in root.iter(builder.q("inputData")):
        variable = element.find(builder.q("variable"))
        builder.inputs[element.get("id")] = (element.get("name"),
                                             variable.get("typeRef") if variable is not None else None)
    builder.bkms = {}
    for element in root.iter(builder.q("businessKnowledgeModel")):
        logic = element.find(builder.q("encapsulatedLogic"))
        variable = element.find(builder.q("variable"))
        params, body, kind = [], None, "FEEL"
        if logic is not None:
            params = [(p.get("name"), p.get("typeRef")) for p in logic if local(p) == "formalParameter"]
            kind = logic.get("kind") or "FEEL"
            body = BoxedCompiler(builder, element.get("id")).compile(child_expression(logic))
        else:
            body = BoxedCompiler(builder, element.get("id")).compile(None)
        bkm = Bkm(element.get("id"), element.get("name"), params, body,
                  variable.get("typeRef") if variable is not None else None, kind)
        builder.bkms[bkm.id] = bkm
    builder.services = {}
    for element in root.iter(builder.q("decisionService")):
        refs = {"outputDecision": [], "inputDecision": [], "inputData": []}
        for child in element:
            if local(child) in refs:
                refs[local(child)].append(_href_id(child))
        variable = element.find(builder.q("variable"))
        service = Service(element.get("id"), element.get("name"), refs["outputDecision"],
                          refs["inputDecision"], refs["inputData"],
                          type_ref=variable.get("typeRef") if variable is not None else None,
                          order=[("inputData", i) for i in refs["inputData"]]
                          + [("inputDecision", d) for d in refs["inputDecision"]])
        builder.services[service.id] = service
