"""A simplified conversion of the to-be Hundehaltung model for Prosimos (benchmark only).

The human tasks of the model in their order, the exclusive gateways with the model's
zsa:probability (paper start, incomplete → document wait as an intermediate event with the
model's zsa:wait, dangerous dog, exemption, correction loop), the model's durations and the
scenario's staffing (Gemeinde offices × number of Gemeinden) on a Mon–Fri 08–16 calendar.
"""
import json

from zsa_flow.simulation.model import read_model
from zsa_flow.xmlsafe import parse_xml_file  # noqa: F401  (the library's models are read through model.py)

DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]

# (element, kind) in process order; gateway entries: (gateway, probability flow of the model, task or event)
LAYOUT = [
    ("xor", "Paper", "StartEvent_Papier"),
    ("xor", "Flow_Unvollstaendig", "Event_Nachreichung"),
    ("xor", "Flow_Gefaehrlich", "Activity_Erlaubnis"),
    ("xor", "Flow_BefreiungBeantragt", "Activity_Befreiung"),
    ("loop", "Flow_Korrektur", ("Activity_Entwurf", "Activity_Bescheid")),
]


def _dist(dist, scale=3600.0):
    """A zsa distribution (hours) as a Prosimos (pix-framework) distribution in seconds:
    fix [value], expon [mean, min, max], uniform [min, max], norm [mean, sd, min, max],
    lognorm [mean, variance, min, max]; Prosimos has no triangular, so a bounded normal with the
    triangle's mean and standard deviation stands in for it."""
    p = [v * scale for v in dist.params]
    if dist.kind == "fixed":
        return "fix", [p[0]]
    if dist.kind == "exponential":
        return "expon", [p[0], 0, p[0] * 50]
    if dist.kind == "uniform":
        return "uniform", [p[0], p[1]]
    if dist.kind == "triangular":
        low, mode, high = p
        var = (low ** 2 + mode ** 2 + high ** 2 - low * mode - low * high - mode * high) / 18
        return "norm", [(low + mode + high) / 3, var ** 0.5, low, high]
    mean, sd = p
    return "lognorm", [mean, sd ** 2, 0, mean * 50]


def _params(values):
    return [{"value": v} for v in values]


def write(model_path, scenario, staff, bpmn_out, json_out):
    with open(model_path, "rb") as fh:
        model = read_model(model_path, fh.read(), "hundehaltung")
    flows = {f.id: f for fl in model.gateways.values() for f in fl}
    kommunen = len(scenario.variants[0].arrivals)
    per_year = sum(scenario.variants[0].arrivals.values())
    nodes, edges, branches, tasks = [], [], [], []
    previous = "start"
    nodes.append('<bpmn:startEvent id="start" />')
    for index, (kind, flow_id, target) in enumerate(LAYOUT):
        split, join = f"split{index}", f"join{index}"
        if kind == "xor":
            share = model.paper_share or scenario.paper_share if flow_id == "Paper" else flows[flow_id].probability
            element = target
            tag = "intermediateCatchEvent" if element.startswith("Event_") else "task"
            body = '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>' \
                if tag == "intermediateCatchEvent" else ""
            nodes += [f'<bpmn:exclusiveGateway id="{split}" />', f'<bpmn:exclusiveGateway id="{join}" />',
                      f'<bpmn:{tag} id="{element}" name="{element}">{body}</bpmn:{tag}>']
            edges += [(previous, split, None), (split, element, f"{split}_yes"), (split, join, f"{split}_no"),
                      (element, join, None)]
            branches.append({"gateway_id": split, "probabilities": [{"path_id": f"{split}_yes", "value": share},
                                                                    {"path_id": f"{split}_no", "value": 1 - share}]})
            if tag == "task":
                tasks.append(element)
            previous = join
        else:
            first, second = target
            share = flows[flow_id].probability
            nodes += [f'<bpmn:exclusiveGateway id="{join}" />', f'<bpmn:exclusiveGateway id="{split}" />',
                      f'<bpmn:task id="{first}" name="{first}" />', f'<bpmn:task id="{second}" name="{second}" />']
            edges += [(previous, join, None), (join, first, None), (first, second, None), (second, split, None),
                      (split, join, f"{split}_back"), (split, "end", f"{split}_on")]
            branches.append({"gateway_id": split, "probabilities": [{"path_id": f"{split}_back", "value": share},
                                                                    {"path_id": f"{split}_on", "value": 1 - share}]})
            tasks += [first, second]
    nodes.append('<bpmn:endEvent id="end" />')
    for n, (source, target, flow_id) in enumerate(edges):
        edges[n] = f'<bpmn:sequenceFlow id="{flow_id or f"f{n}"}" sourceRef="{source}" targetRef="{target}" />'
    bpmn_out.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
        ' id="d" targetNamespace="http://bpmn.io/schema/bpmn"><bpmn:process id="hundehaltung_prosimos" isExecutable="true">'
        + "".join(nodes) + "".join(edges) + "</bpmn:process></bpmn:definitions>", encoding="utf-8")
    pools = {}
    for task in tasks:
        element = model.elements[task]
        persons = staff.get(element.pool, 1.0) * (kommunen if element.municipal else 1)
        pools.setdefault(element.pool, {"tasks": [], "amount": max(1, round(persons))})["tasks"].append(task)
    calendar = [{"from": "MONDAY", "to": "FRIDAY", "beginTime": "08:00:00", "endTime": "16:00:00"}]
    wait = model.elements["Activity_Warten"].wait
    name, values = _dist(wait)
    params = {
        "resource_profiles": [{"id": f"pool{i}", "name": pool, "resource_list": [{
            "id": f"res{i}", "name": pool, "cost_per_hour": 1, "amount": spec["amount"], "calendar": "work",
            "assigned_tasks": spec["tasks"]}]} for i, (pool, spec) in enumerate(pools.items())],
        "arrival_time_distribution": {"distribution_name": "expon",
                                      "distribution_params": _params([8760 * 3600 / per_year, 0, 8760 * 3600])},
        "arrival_time_calendar": [{"from": "MONDAY", "to": "SUNDAY", "beginTime": "00:00:00", "endTime": "23:59:59"}],
        "gateway_branching_probabilities": branches,
        "task_resource_distribution": [
            {"task_id": t, "resources": [{"resource_id": f"res{list(pools).index(model.elements[t].pool)}",
                                          "distribution_name": _dist(model.elements[t].duration)[0],
                                          "distribution_params": _params(_dist(model.elements[t].duration)[1])}]}
            for t in tasks],
        "resource_calendars": [{"id": "work", "name": "work", "time_periods": calendar}],
        "event_distribution": [{"event_id": "Event_Nachreichung", "distribution_name": name,
                                "distribution_params": _params(values)}],
    }
    json_out.write_text(json.dumps(params, indent=1), encoding="utf-8")
    return DAYS
