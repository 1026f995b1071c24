"""Generate varied, realistic answers (and optionally registers) for any questionnaire.

Usage:
    python benchmarks/generate.py --questionnaire ID|FILE --count N --out DIR [--seed S] [--registers]
                                  [--duplicates SHARE]

Writes DIR/use-case-0001.yaml ... (answers files), or with --registers the Excel risk
registers risk-cli would write for them (DIR/use-case-0001.xlsx ...). The same seed always
gives the same files, so benchmarks are repeatable. --duplicates SHARE makes that share of
the files re-assessments of an earlier use case (same organisation and name, a later date),
as a real portfolio holds.

As a library (the batch and portfolio benchmarks use it):

    from benchmarks.generate import answers_for, generate
    qn = risk_cli.catalogue.bundled.resolve("uk-public-sector-ai")
    answers = answers_for(qn, random.Random(7), index=1)   # one checked `Answers`
    paths = generate(qn, 100, Path("out"), seed=7, registers=True)

Every generated answer passes `risk_cli.model.answers.check`: choices come from the question,
numbers respect min and max, questions that do not apply are left out, and roughly one
answer in ten is "don't know" (as real teams answer). Free text sometimes starts with
`-`, `=` or `+`, so the formula guard is exercised at scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from risk_cli.model import answers as answers_mod  # noqa: E402
from risk_cli.model.answers import Answer, Answers  # noqa: E402
from risk_cli.model.questionnaire import Question, Questionnaire  # noqa: E402

ORGANISATIONS = [
    "Department for Public Services", "Ministry of Civic Records", "Office for Transport Safety",
    "Northshire County Council", "Eastbrook Borough Council", "National Benefits Agency",
    "Revenue and Customs Service", "Border Operations Agency", "Land Registry Office",
    "Environment Monitoring Agency", "Courts and Tribunals Service", "Office for Health Analytics",
    "Valley Fire and Rescue Service", "Metropolitan Housing Authority", "Student Finance Office",
    "Companies and Charities Register", "Food Standards Office", "Pensions Service",
]
PURPOSES = [
    "Correspondence drafting assistant", "Benefit claim triage", "Fraud risk scoring", "Document summariser",
    "Casework search assistant", "Call transcript analysis", "Planning application checker",
    "Translation helper", "Image-based defect detection", "Demand forecasting", "Chatbot for public enquiries",
    "Records de-duplication", "Inspection prioritisation", "Grant application screening", "Meeting note summaries",
    "Anomaly detection in payments", "Satellite imagery change detection", "Code assistant for developers",
]
QUALIFIERS = ["pilot", "for caseworkers", "(phase 2)", "for contact centre", "for inspectors", "v3", "", "", ""]
FIRST = ["Alex", "Sam", "Priya", "Tom", "Aisha", "Gareth", "Mei", "Olu", "Ruth", "Callum", "Fatima", "Iwan"]
LAST = ["Smith", "Patel", "Jones", "Okafor", "Evans", "Chen", "MacLeod", "Hughes", "Khan", "Byrne"]
PHRASES = [
    "Supplier is a framework call-off", "Data held in the case management system", "Pilot with 20 staff",
    "- reviewed by the data protection officer", "Legacy mainframe feed, nightly batch", "=not a formula",
    "+ agreed with the SRO", "See the business case, section 4", "Under review by the assurance board",
    "Model retrained quarterly", "Welsh language version planned", "",
]
PHASE_WEIGHTS = {"idea": 1, "discovery": 3, "alpha": 4, "beta": 3, "live": 4}


def use_case_name(rng: random.Random) -> str:
    qualifier = rng.choice(QUALIFIERS)
    return f"{rng.choice(PURPOSES)} {qualifier}".strip()


def answer_value(q: Question, rng: random.Random, profile: dict[str, str], unknown_rate: float) -> Any:
    """One plausible answer to `q`, or None to leave an optional question blank."""
    if q.id in profile:
        return profile[q.id]
    if not q.required and rng.random() < 0.15:
        return None
    if q.type == "yesno":
        roll = rng.random()
        return "dont_know" if roll < unknown_rate else ("yes" if roll < 0.62 else "no")
    if q.type == "choice":
        if q.id == "profile.phase":
            ids = [c for c in q.choice_ids if c in PHASE_WEIGHTS] or list(q.choice_ids)
            return rng.choices(ids, weights=[PHASE_WEIGHTS.get(c, 1) for c in ids])[0]
        known = [c.id for c in q.choices if not c.unknown]
        if any(c.unknown for c in q.choices) and rng.random() < unknown_rate:
            return "dont_know"
        # earlier choices are a little more common, as in real answers
        return rng.choices(known, weights=[len(known) - i + 1 for i in range(len(known))])[0]
    if q.type == "multi":
        plain = [c.id for c in q.choices if not c.exclusive]
        exclusive = [c.id for c in q.choices if c.exclusive]
        if exclusive and (not plain or rng.random() < 0.15):
            return [rng.choice(exclusive)]
        if not plain:
            return [q.choice_ids[0]]
        picked = rng.sample(plain, rng.randint(1, min(3, len(plain))))
        return [c for c in q.choice_ids if c in picked]
    if q.type == "number":
        low = q.min if q.min is not None else 0
        high = q.max if q.max is not None else max(low, 0) + 10 ** rng.randint(1, 7)
        value = low + (high - low) * rng.random() ** 3  # mostly small, sometimes large
        return int(value) if float(low).is_integer() and float(high).is_integer() else round(value, 2)
    if q.type == "date":
        return (dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 900))).isoformat()
    return rng.choice([p for p in PHRASES if p]) if rng.random() < 0.8 else "None"


def answers_for(qn: Questionnaire, rng: random.Random, index: int = 0, unknown_rate: float = 0.1,
                profile: dict[str, str] | None = None, assessed_on: str | None = None) -> Answers:
    """Varied answers to `qn` that pass `answers.check`; `profile` fixes name and organisation."""
    fixed = dict(profile or {})
    fixed.setdefault("profile.name", f"{use_case_name(rng)} #{index}" if index else use_case_name(rng))
    fixed.setdefault("profile.organisation", rng.choice(ORGANISATIONS))
    if "profile.owner" in qn.by_id:
        fixed.setdefault("profile.owner", f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    values: dict[str, Any] = {}
    for q in qn.questions:
        value = answer_value(q, rng, fixed, unknown_rate)
        if value is not None:
            values[q.id] = value
    visible = answers_mod.resolve(qn, values)
    kept = {qid: Answer(values[qid]) for qid in visible.asked if qid in values}
    for qid in list(kept)[len(fixed):]:
        if rng.random() < 0.04:
            kept[qid].note = rng.choice([p for p in PHRASES if p])
    on = assessed_on or (dt.date(2025, 6, 1) + dt.timedelta(days=rng.randint(0, 500))).isoformat()
    raw = Answers(qn.id, qn.version, qn.sha256, kept, on)
    clean, errors, _ = answers_mod.check(qn, raw, f"generated #{index}")
    if errors:  # a questionnaire shape this generator does not cover yet: fail loudly
        raise ValueError("generated answers do not validate: " + "; ".join(str(e) for e in errors[:5]))
    return clean


def generate(qn: Questionnaire, count: int, out: Path, seed: int = 1, registers: bool = False,
             duplicates: float = 0.0) -> list[Path]:
    """Write `count` answers files (or registers) into `out`; returns their paths in order."""
    from risk_cli.model import scoring

    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(count)))
    paths: list[Path] = []
    made: list[Answers] = []
    for i in range(1, count + 1):
        profile = None
        assessed_on = None
        if made and rng.random() < duplicates:  # a re-assessment of an earlier use case
            earlier = rng.choice(made)
            profile = {k: earlier.values[k].value for k in ("profile.name", "profile.organisation")}
            later = dt.date.fromisoformat(earlier.assessed_on) + dt.timedelta(days=rng.randint(30, 200))
            assessed_on = later.isoformat()
        answers = answers_for(qn, rng, index=i, profile=profile, assessed_on=assessed_on)
        made.append(answers)
        stem = out / f"use-case-{i:0{width}d}"
        if registers:
            from risk_cli.writers import register as register_xlsx

            path = stem.with_suffix(".xlsx")
            register_xlsx.write(scoring.assess(qn, answers), path, force=True)
        else:
            path = stem.with_suffix(".yaml")
            answers_mod.save(answers, qn, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questionnaire", "-q", default="uk-public-sector-ai", help="bundled id or YAML file")
    parser.add_argument("--count", "-n", type=int, required=True)
    parser.add_argument("--out", "-o", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--registers", action="store_true", help="write Excel registers, not answers files")
    parser.add_argument("--duplicates", type=float, default=0.0, help="share of re-assessed use cases (0-1)")
    args = parser.parse_args(argv)
    from risk_cli.catalogue import bundled

    qn = bundled.resolve(args.questionnaire)
    paths = generate(qn, args.count, args.out, seed=args.seed, registers=args.registers, duplicates=args.duplicates)
    print(f"wrote {len(paths)} {'registers' if args.registers else 'answers files'} for {qn.label} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
