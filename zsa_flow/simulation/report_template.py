"""The Jinja template of the simulation report (report.py renders it with autoescape)."""

TEMPLATE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<title>Simulationsbericht: {{ s.name }}</title>
<style>
body{font-family:sans-serif;margin:2rem;max-width:70rem;color:#1a202c}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #a0aec0;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right}th{background:#edf2f7}.gone{background:#fed7d7}.merged{background:#fefcbf}.auto{background:#c6f6d5}
.kept{background:#fff}.note{color:#4a5568;font-size:.9rem}figure{margin:0 0 1rem}section{margin-bottom:2rem}
.structure{display:flex;gap:1rem;flex-wrap:wrap}.structure table{font-size:.85rem}
</style></head><body>
<h1>Simulationsbericht: {{ s.name }}</h1>
<p>{{ s.replications }} Replikation{{ "en" if s.replications != 1 }}, Messzeitraum {{ s.period_days|num(0) }} Tage nach
{{ s.warmup_days|num(0) }} Tagen Einschwingzeit, Kalender „{{ "Werktage (Sachsen-Anhalt)" if s.calendar == "workdays" else "rund um die Uhr" }}“,
Startwert {{ s.seed }}, Service-Level {{ s.service_level_days|num(0) }} Tage. Alle Prozesse liefen auf den ausführbaren
Modellen durch die Engine; Datei: <code>{{ s.file }}</code>.</p>

<section id="ueberblick"><h2>Überblick</h2>
<table><thead><tr><th>Prozess</th><th>Art</th><th>Gemeinden</th><th>Fälle</th><th>Durchlaufzeit Ø (Tage)</th>
<th>95-%-KI (Tage)</th><th>90-%-Quantil (Tage)</th><th>Wartezeit Ø (Tage)</th><th>Aufwand (min/Fall)</th>
<th>Übergaben/Fall</th><th>Medienbrüche/Fall</th><th>Kosten/Fall</th><th>im Service-Level</th></tr></thead><tbody>
{% for pid, v in r.variants.items() %}
<tr><th>{{ v.name or pid }}<br><code>{{ pid }}</code></th><td>{{ role.get(v.variant, v.variant) }}</td>
<td class="n">{{ v.kommunen|num(0) }}</td><td class="n">{{ v.cases_completed|num(0) }}</td>
<td class="n">{{ v.cycle_time_hours.mean|days }}</td>
<td class="n">{{ v.cycle_time_hours.ci95[0]|days }} – {{ v.cycle_time_hours.ci95[1]|days }}</td>
<td class="n">{{ v.cycle_time_hours.p90|days }}</td><td class="n">{{ v.waiting_time_hours.mean|days }}</td>
<td class="n">{{ v.effort_minutes_per_case|num }}</td><td class="n">{{ v.handovers_per_case|num(2) }}</td>
<td class="n">{{ v.media_breaks_per_case|num(2) }}</td><td class="n">{{ v.cost_per_case|num(2, " €") }}</td>
<td class="n">{{ v.within_service_level|pct }}</td></tr>
{% endfor %}
</tbody></table></section>

<section id="durchlaufzeit"><h2>Durchlaufzeiten je Variante</h2>
<figure>{{ charts.cycle }}</figure>
<p class="note">Kasten: mittlere Hälfte der Fälle (25- bis 75-%-Quantil), dicker Strich: Median, Linie: 5- bis 95-%-Quantil.</p>
</section>

<section id="service-level"><h2>Anteil im Service-Level ({{ s.service_level_days|num(0) }} Tage)</h2>
<figure>{{ charts.service_level }}</figure></section>

<section id="auslastung"><h2>Auslastung je Pool</h2>
<figure>{{ charts.utilisation }}</figure>
<p class="note">Gearbeitete Stunden im Verhältnis zur verfügbaren Arbeitszeit der eingesetzten Personen.</p></section>

<section id="rueckstau"><h2>Offene Fälle im Zeitverlauf</h2>
<figure>{{ charts.backlog }}</figure>
<p class="note">Mittel über die Replikationen, jeweils zu Tagesbeginn.</p></section>

{% if comparison_rows %}
<section id="vergleich"><h2>Soll gegen Ist</h2>
<p>Veränderung durch den Soll-Prozess gegenüber jeder Ist-Variante (gleiche Gemeinde, derselbe Ankunftsstrom) und
gegenüber dem fallgewichteten Ist-Mittel. Positive Werte: der Soll-Prozess ist schneller bzw. braucht weniger Aufwand.
In Klammern das 95-%-Konfidenzintervall über die Replikationen.</p>
<table><thead><tr><th>Ist-Variante</th><th>Durchlaufzeit Ist → Soll (Tage)</th><th>kürzer um</th>
<th>Aufwand Ist → Soll (min/Fall)</th><th>geringer um</th></tr></thead><tbody>
{% for label, e in comparison_rows %}
<tr><th>{{ label }}</th>
<td class="n">{{ e.cycle_time_hours.as_is|days }} → {{ e.cycle_time_hours.to_be|days }}</td>
<td class="n">{{ e.cycle_time_hours.reduction|pct }} ({{ e.cycle_time_hours.ci95[0]|pct }} – {{ e.cycle_time_hours.ci95[1]|pct }})</td>
<td class="n">{{ e.effort_minutes.as_is|num }} → {{ e.effort_minutes.to_be|num }}</td>
<td class="n">{{ e.effort_minutes.reduction|pct }} ({{ e.effort_minutes.ci95[0]|pct }} – {{ e.effort_minutes.ci95[1]|pct }})</td></tr>
{% endfor %}
</tbody></table></section>
{% endif %}

{% if attribution %}
<section id="herkunft"><h2>Woher der Gewinn kommt</h2>
<p>Zwischenszenarien auf demselben Ankunftsstrom: P = Ist-Prozess mit zentral gebündeltem Personal (jede
Ist-Variante bearbeitet die Fälle aller Gemeinden in einem zentralen Amt je Pool); M1 = Soll-Prozess ohne seine
automatischen Prüfungen, Personal je Gemeinde aufgeteilt (gleiche Gesamtbesetzung wie M2, nach Fallzahl);
M2 = wie M1, aber gebündelt (zentraler Pool); Soll = wie modelliert.
<em>Bündelung/Spezialisierung</em> = Mittel aus Ist → P und M1 → M2, <em>Prozess</em> = Mittel aus Ist → M1 und
P → M2, <em>IT</em> = M2 → Soll, jeweils bezogen auf das fallgewichtete Ist; die drei Teile ergeben zusammen die
Gesamtveränderung.
Jedes Zwischenszenario hat das Personal, das seine Arbeit braucht: in M1/M2 wächst der zentrale Pool um die
Handarbeit (gleiche Auslastung wie im Soll), in P ist jeder Pool auf die gebündelte Arbeit bemessen, bei einer
Auslastung nicht unter der eigenen der Ist-Gemeinde und nicht unter der der zentralen Soll-Pools (Tabellen unten;
Arbeit je Fall aus einem Vorlauf ohne Warteschlangen). Den Aufwand je Fall ändert die Bündelung nicht (die Minuten
je Schritt hängen nicht von der Besetzung ab).</p>
{% for measure, m in attribution.measures.items() %}
<h3>{{ measures[measure] }}</h3>
<figure>{{ charts["waterfall_" + measure] }}</figure>
<table><thead><tr><th>Anteil</th><th>Veränderung (Ist = 100 %)</th><th>95-%-KI</th></tr></thead><tbody>
{% for part in ("process", "pooling", "it", "total") %}
<tr><th>{{ part_labels.get(part, "Gesamt") }}</th><td class="n">{{ m[part].share|pct }}</td>
<td class="n">{{ m[part].ci95[0]|pct }} – {{ m[part].ci95[1]|pct }}</td></tr>
{% endfor %}
</tbody></table>
<p>Stufen (fallgewichtet): Ist {{ m.levels.as_is|num }}, P {{ m.levels.as_is_pooled|num }},
M1 {{ m.levels.m1|num }}, M2 {{ m.levels.m2|num }}, Soll {{ m.levels.to_be|num }}
({{ "Stunden" if measure == "cycle_time_hours" else "Minuten je Fall" }}).</p>
{% endfor %}
{% if attribution.automated_steps %}
<p>Für „ohne automatische Prüfungen“ erledigt eine Person des zentralen Pools diese Schritte mit dem Aufwand des
ähnlichsten Ist-Schritts:</p>
<table><thead><tr><th>automatischer Soll-Schritt</th><th>Ist-Entsprechung</th><th>Aufwand (min)</th></tr></thead><tbody>
{% for id, step in attribution.automated_steps.items() %}
<tr><td>{{ step.name }}</td><td>{{ step.as_is_step or "– (mittlerer Ist-Schritt)" }}</td><td class="n">{{ step.minutes|num }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}
{% set manual = attribution.staffing_without_automation %}
{% if manual and manual.pools %}
<p>Personal in M1/M2 (Soll ohne Automatik; {{ manual.hours_per_fte|num(0) }} Arbeitsstunden je Person und Jahr nach
dem Kalender des Szenarios):</p>
<table><thead><tr><th>Pool</th><th>Soll (Personen)</th><th>zusätzliche Handarbeit (h/Jahr)</th><th>+ Personen</th>
<th>M1/M2 (Personen)</th><th>erwartete Auslastung</th><th>simuliert M2</th></tr></thead><tbody>
{% for pool, p in manual.pools.items() %}
<tr><td>{{ pool }}</td><td class="n">{{ p.to_be_staff|num(2) }}</td><td class="n">{{ p.added_hours_per_year|num(0) }}</td>
<td class="n">{{ p.added_staff|num(2) }}</td><td class="n">{{ p.staff|num(2) }}</td>
<td class="n">{{ p.expected_utilisation|pct }}</td><td class="n">{{ attribution.utilisation.m2.get(pool)|pct }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}
{% if attribution.pooled_as_is %}
<p>Personal in P (Ist-Prozess gebündelt, Fälle aller Gemeinden):</p>
<table><thead><tr><th>Ist-Variante</th><th>Pool</th><th>Ist (Personen)</th><th>Arbeit gebündelt (h/Jahr)</th>
<th>Auslastung Ist</th><th>Ziel-Auslastung</th><th>P (Personen)</th><th>simuliert P</th></tr></thead><tbody>
{% for pid, pooled in attribution.pooled_as_is.items() %}
{% for pool, p in pooled.staffing.get("pools", {}).items() %}
<tr><td>{{ r.variants[pid].name if pid in r.variants else pid }}</td><td>{{ pool }}</td><td class="n">{{ p.own_staff|num(2) }}</td>
<td class="n">{{ p.hours_per_year|num(0) }}</td><td class="n">{{ p.own_utilisation|pct }}</td>
<td class="n">{{ p.target_utilisation|pct }}</td><td class="n">{{ p.staff|num(2) }}</td>
<td class="n">{{ pooled.utilisation.get(pool)|pct }}</td></tr>
{% endfor %}
{% endfor %}
</tbody></table>
{% endif %}
</section>
{% endif %}

{% if structure %}
<section id="struktur"><h2>Aktivitäten im Vergleich</h2>
<p>Grün: im Soll automatisiert, gelb: im Soll zusammengelegt, rot: entfällt im Soll (Zuordnung über ähnliche
Schrittnamen). Übergaben und Medienbrüche je Fall aus der Simulation.</p>
<div class="structure">
{% for pid, v in structure.variants.items() %}
{% set fate = structure.fate.get(pid, {}) %}
<table><caption><strong>{{ v.name }}</strong> ({{ role.get(v.role, v.role) }})<br>
Übergaben/Fall {{ r.variants[pid].handovers_per_case|num(2) }}, Medienbrüche/Fall {{ r.variants[pid].media_breaks_per_case|num(2) }}</caption>
<thead><tr><th>Schritt</th><th>Art</th><th>min</th>{% if fate %}<th>im Soll</th>{% endif %}</tr></thead><tbody>
{% for step in v.steps %}
{% set f = fate.get(step.id) %}
<tr class="{{ fate_class[f[0]] if f else '' }}"><td>{{ step.name }}{% if step.handover %} ⇄{% endif %}{% if step.media_break %} ✎{% endif %}</td>
<td>{{ step.kind }}</td><td class="n">{{ step.minutes|num(0) }}</td>
{% if fate %}<td>{{ f[0] }}{% if f[1] %}: {{ f[1] }}{% endif %}</td>{% endif %}</tr>
{% endfor %}
</tbody></table>
{% endfor %}
</div><p class="note">⇄ Übergabe an eine andere Stelle, ✎ Medienbruch (laut Modell).</p></section>
{% endif %}

{% if sweep %}
<section id="kapazitaet"><h2>Kapazitätsplanung</h2>
<p>Kleinste Besetzung von „{{ sweep.pool }}“, bei der mindestens {{ sweep.target|pct(0) }} der Fälle binnen
{{ sweep.service_level_days|num(0) }} Tagen erledigt sind, je Fallzahl (Vielfaches der heutigen Ankünfte). Je Punkt
{{ sweep.replications_per_point }} Replikation(en) über {{ sweep.period_days_per_point|num(0) }} Tage.</p>
<figure>{{ charts.sweep }}</figure>
<table><thead><tr><th>Fallzahl</th><th>Personen</th><th>im Service-Level</th><th>Durchlaufzeit Ø (Tage)</th><th>Auslastung</th></tr></thead><tbody>
{% for p in sweep.points %}
<tr><td class="n">{{ p.volume|num(2) }} ×</td><td class="n">{{ p.staff|num(0) }}</td><td class="n">{{ p.within_service_level|pct }}</td>
<td class="n">{{ p.cycle_time_hours|days }}</td><td class="n">{{ p.utilisation|pct }}</td></tr>
{% endfor %}
</tbody></table></section>
{% endif %}
</body></html>
"""
