"""Long-lived cases: a 400-round loop must not end by itself, and state must not grow per round."""
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "engine"


def test_400_round_loop_never_completes_wrongly_and_state_stays_small(zsa):
    from sqlalchemy import func, select

    from zsa_flow.storage.tables import workflow_state

    zsa.deploy([str(FIXTURES / "loop.bpmn")])
    number = zsa.start_case("erinnerung_loop", "15003000", {"fertig": False})
    sizes = []
    for round_ in range(400):
        tasks = zsa.tasks(case=number)
        assert len(tasks) == 1, f"round {round_}: {tasks}"
        zsa.complete(tasks[0]["id"], {"runde": round_}, "anna")
        assert zsa.case(number)["state"] == "running", f"round {round_}"
        if round_ in (10, 399):
            with zsa.uow(readonly=True) as uow:
                sizes.append(uow.execute(select(func.length(workflow_state.c.state))).scalar())
    assert sizes[1] < sizes[0] * 1.5, sizes  # pruned: no growth with history
    zsa.complete(zsa.tasks(case=number)[0]["id"], {"fertig": True}, "anna")
    assert zsa.case(number)["state"] == "completed"
    assert sum(1 for e in zsa.events(number) if e["type"] == "task_completed") == 401
