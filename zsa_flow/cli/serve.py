"""`zsa-flow serve` (web interface and API) and `zsa-flow worker` (timers, outbox, audit log
sequencer).

serve picks its WSGI server:
- waitress, one process with threads: the embedded default on SQLite (single node);
- gunicorn, several processes (`--workers N`): when N > 1 or the database is PostgreSQL. Each
  gunicorn worker runs its own timer/outbox scheduler unless `--no-timers`; SKIP LOCKED keeps every
  timer firing once. More than one app server needs the secret key from ZSA_SECRET_KEY or
  ZSA_SECRET_KEY_FILE (sessions must be valid on every server; no generated key).
"""
import os
import signal
import tempfile
from contextlib import contextmanager

import click

from ..errors import ZsaError
from . import main


@main.command()
@click.option("--interval", default=10.0, help="Sekunden zwischen zwei Durchläufen.")
def worker(interval):
    """Dauerhaft fällige Timer auslösen, den Postausgang zustellen und neue Ereignisse in den
    Merkle-Baum aufnehmen (Strg+C oder SIGTERM beendet)."""
    from .. import logs
    from ..services.platform import Platform
    from ..services.timers import TimerScheduler
    from ..services.transports import OutboxConfig

    logs.configure()
    outbox = OutboxConfig.load()
    scheduler = TimerScheduler(Platform.connect(), interval, outbox=outbox)
    routes = f", Postausgang: {len(outbox.routes)} Nachrichten konfiguriert" if outbox.routes else ""
    click.echo(f"Worker läuft, Intervall {interval}s{routes}")
    with _stop_on_sigterm():
        try:
            scheduler.run()
        except KeyboardInterrupt:
            pass
    click.echo("Worker beendet")


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--workers", type=int, help="Prozesse (gunicorn). Standard: 1 mit SQLite (waitress), 2 mit PostgreSQL.")
@click.option("--threads", default=8, type=int, show_default=True, help="Anfragen, die je Prozess gleichzeitig bearbeitet werden.")
@click.option("--timer-interval", default=5.0, type=float, show_default=True,
              help="Sekunden zwischen zwei Timer-Durchläufen.")
@click.option("--no-timers", is_flag=True, help="Keine Timer auslösen (das übernehmen eigene `zsa-flow worker`).")
@click.option("--debug", is_flag=True, help="Flasks Entwicklungsserver mit Debugger und Neuladen (nur Entwicklung).")
def serve(host, port, workers, threads, timer_interval, no_timers, debug):
    """Web-Oberfläche und API starten (waitress oder gunicorn); fällige Timer werden alle --timer-interval
    Sekunden ausgelöst."""
    from .. import logs
    from ..storage.db import database_url

    on_postgres = database_url().startswith("postgresql")
    if workers is None:
        workers = 2 if on_postgres else 1
    if workers < 1:
        raise ZsaError("--workers muss mindestens 1 sein")
    logs.configure()
    if not debug and (workers > 1 or on_postgres):
        return _serve_gunicorn(host, port, workers, threads, None if no_timers else timer_interval)
    _serve_single(host, port, threads, timer_interval, no_timers, debug)


def _serve_single(host, port, threads, timer_interval, no_timers, debug):
    from ..services.timers import TimerScheduler
    from ..services.transports import OutboxConfig
    from ..web import create_app

    app = create_app()
    # Under --debug Werkzeug's reloader runs this command twice; only its child serves requests.
    serving_process = not debug or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    scheduler = None
    if not no_timers and serving_process:
        scheduler = TimerScheduler(app.extensions["zsa"], timer_interval, outbox=OutboxConfig.load()).start()
    try:
        if debug:
            app.run(host=host, port=port, debug=True, threaded=True)
        else:
            _serve_waitress(app, host, port, threads, timers=None if scheduler is None else timer_interval)
    finally:
        if scheduler is not None:
            scheduler.stop()
        app.extensions["zsa"].engine.dispose()
    click.echo("zsa-flow beendet")


def _serve_waitress(app, host, port, threads, timers):
    from waitress import create_server

    server = create_server(app, host=host, port=port, threads=threads)
    timer_note = f"Timer alle {timers:g}s" if timers else "ohne Timer"
    click.echo(f"zsa-flow läuft auf http://{host}:{server.effective_port} (waitress, {threads} Threads, {timer_note})")
    with _stop_on_sigterm():
        server.run()  # returns after Ctrl+C (waitress closes its sockets and threads itself)


def _serve_gunicorn(host, port, workers, threads, timer_interval):
    from ..web import configured_secret

    if workers > 1 and not configured_secret():
        raise ZsaError("Mehrere App-Server brauchen einen gemeinsamen Schlüssel: ZSA_SECRET_KEY oder "
                       "ZSA_SECRET_KEY_FILE setzen (z. B. `python -c 'import secrets; print(secrets.token_hex(32))'`)")
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise ZsaError("gunicorn ist nicht installiert (nur unter Linux/Unix); --workers 1 mit SQLite nutzt waitress")
    from ..storage.db import make_engine
    from ..storage.migrate import ensure_migrated

    engine = make_engine()
    ensure_migrated(engine)  # refuse before forking: one clear line instead of N crashing workers
    engine.dispose()
    own_dir = None
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        own_dir = tempfile.mkdtemp(prefix="zsa-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = own_dir

    class ZsaGunicorn(BaseApplication):
        def load_config(self):
            settings = {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                        "worker_class": "gthread", "timeout": 60, "graceful_timeout": 20,
                        "loglevel": "warning", "child_exit": _child_exit, "when_ready": _when_ready}
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):  # in each worker process after the fork: its own engine and scheduler
            from ..services.timers import TimerScheduler
            from ..services.transports import OutboxConfig
            from ..web import create_app

            app = create_app()
            if timer_interval:
                TimerScheduler(app.extensions["zsa"], timer_interval, outbox=OutboxConfig.load()).start()
            return app

    timer_note = f"Timer alle {timer_interval:g}s je Prozess" if timer_interval else "ohne Timer"
    click.echo(f"zsa-flow läuft auf http://{host}:{port} (gunicorn, {workers} Prozesse × {threads} Threads, "
               f"{timer_note})")
    code = 0
    try:
        ZsaGunicorn().run()
    except SystemExit as exc:  # gunicorn's master exits after a graceful stop
        code = exc.code or 0
    finally:
        if own_dir:
            import shutil

            shutil.rmtree(own_dir, ignore_errors=True)
    if code:
        raise SystemExit(code)
    click.echo("zsa-flow beendet")


def _child_exit(_server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _when_ready(server):
    server.log.info("gunicorn bereit, Master-PID %s", os.getpid())


@contextmanager
def _stop_on_sigterm():
    """Treat SIGTERM (systemd, docker stop) like Ctrl+C for the duration of the block."""
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
