"""Every line of the golden transcripts validates against the JSON Schemas in protocol/schema/.

Requests that the daemon answered with a result must match their method's params schema, and every result must
match its method's result schema; every answer must match the response envelope.
"""
import json
import pathlib

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "protocol" / "schema"
FIXTURES = ROOT / "Tests" / "OptunaServerTests" / "Fixtures"


def load(name):
    return json.loads((SCHEMAS / name).read_text())


def pairs(path):
    """(request, answer-or-None) for each `>` line, in order."""
    lines = [l for l in path.read_text().splitlines() if l.startswith(("> ", "< "))]
    out = []
    for i, line in enumerate(lines):
        if line.startswith("> "):
            answer = lines[i + 1][2:] if i + 1 < len(lines) and lines[i + 1].startswith("< ") else None
            out.append((line[2:], answer))
    return out


def parse_python(text):
    return json.loads(text)  # Python's json accepts the NaN/Infinity tokens clients may send


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.jsonl")), ids=lambda p: p.stem)
def test_transcript_matches_schemas(fixture):
    envelope = load("response.json")
    checked = 0
    for request_text, answer_text in pairs(fixture):
        try:
            request = parse_python(request_text)
        except ValueError:
            request = None
        if answer_text is None:
            continue
        answer = json.loads(answer_text)
        requests = request if isinstance(request, list) else [request]
        answers = answer if isinstance(answer, list) else [answer]
        answered = [r for r in requests if isinstance(r, dict) and "id" in r]
        for a in answers:
            jsonschema.validate(a, envelope)
        if len(answered) != len(answers):
            continue
        for r, a in zip(answered, answers):
            if "result" not in a:
                continue
            method = r["method"]
            jsonschema.validate(r.get("params", {}), load(f"{method}.params.json"))
            jsonschema.validate(a["result"], load(f"{method}.result.json"))
            checked += 1
    assert checked > 0


def test_every_method_has_schemas():
    names = {p.name.split(".")[0] for p in SCHEMAS.glob("*.params.json")}
    hello = load("hello.result.json")
    assert "methods" in hello["properties"]
    assert names >= {"hello", "ask", "tell", "create_study", "report", "suggest", "get_trials"}
