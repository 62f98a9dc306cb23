"""A library BPMN model as pm4py needs it for an alignment of an exported log.

pm4py's BPMN import and Petri-net conversion (2.7) read a Camunda collaboration differently from
BPMN's semantics, so the model is adapted on pm4py's graph, not in the file:
- message flows become sequence flows (a task sending a message would fork): they are dropped,
  with the participant pools;
- several start events are started all at once (parallel): they become one start and a choice;
- intermediate and boundary events are dropped by the conversion (their flows are lost): each
  becomes a silent pass-through, and an activity with a boundary event is entered through a
  choice between the activity and its boundary event (an interrupting event replaces the activity).
The tasks, gateways and sequence flows stay exactly as modelled.
"""


def model_for_alignment(path):
    """(net, initial marking, final marking, task labels) of a BPMN file for pm4py alignments."""
    import pm4py
    from pm4py.objects.bpmn.obj import BPMN

    bpmn = pm4py.read_bpmn(str(path))
    outside = [n for n in bpmn.get_nodes() if isinstance(n, (BPMN.Participant, BPMN.Collaboration))]
    for flow in list(bpmn.get_flows()):
        if isinstance(flow, BPMN.MessageFlow) or flow.get_source() in outside or flow.get_target() in outside:
            bpmn.remove_flow(flow)
    for node in outside:
        bpmn.remove_node(node)
    starts = [n for n in bpmn.get_nodes() if isinstance(n, BPMN.StartEvent)]
    if len(starts) > 1:
        start, choice = BPMN.StartEvent(name="Start"), BPMN.ExclusiveGateway(name="Startwahl")
        bpmn.add_node(start)
        bpmn.add_node(choice)
        bpmn.add_flow(BPMN.SequenceFlow(start, choice))
        for old in starts:
            _reroute(bpmn, old, choice, None)
            bpmn.remove_node(old)
    for boundary in [n for n in bpmn.get_nodes() if isinstance(n, BPMN.BoundaryEvent)]:
        activity = next(n for n in bpmn.get_nodes() if n.get_id() == boundary.get_activity())
        choice = BPMN.ExclusiveGateway(name="Grenzereignis")
        bpmn.add_node(choice)
        _reroute(bpmn, activity, None, choice)
        bpmn.add_flow(BPMN.SequenceFlow(choice, activity))
        bpmn.add_flow(BPMN.SequenceFlow(choice, boundary))
    events = (BPMN.IntermediateCatchEvent, BPMN.IntermediateThrowEvent, BPMN.BoundaryEvent)
    for event in [n for n in bpmn.get_nodes() if isinstance(n, events)]:
        passthrough = BPMN.ExclusiveGateway(name=event.get_name())
        bpmn.add_node(passthrough)
        _reroute(bpmn, event, passthrough, passthrough)
        bpmn.remove_node(event)
    net, initial, final = pm4py.convert_to_petri_net(bpmn)
    return net, initial, final, {t.label for t in net.transitions if t.label}


def _reroute(bpmn, node, new_source, new_target):
    """Move the node's outgoing flows to start at `new_source`, its incoming ones to end at `new_target`."""
    from pm4py.objects.bpmn.obj import BPMN

    if new_source is not None:
        for flow in list(node.get_out_arcs()):
            bpmn.add_flow(BPMN.SequenceFlow(new_source, flow.get_target()))
            bpmn.remove_flow(flow)
    if new_target is not None:
        for flow in list(node.get_in_arcs()):
            bpmn.add_flow(BPMN.SequenceFlow(flow.get_source(), new_target))
            bpmn.remove_flow(flow)
