"""The command line: records on stdout, one-line errors on stderr, exit status, docs."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from observatory.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
runner = CliRunner()


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_extract_prints_the_record_of_the_spec():
    result = runner.invoke(app, ["extract", str(GOLDEN / "memo-2019-08-23-sohr-corridor.txt")])
    assert result.exit_code == 0, result.output
    (rec,) = records(result.stdout)
    assert set(rec) >= {"document", "claims", "events", "disputes"}
    assert set(rec["document"]) >= {"id", "title", "outlet", "url", "published", "sha256", "text"}
    claim = rec["claims"][0]
    assert set(claim) >= {"id", "speaker", "speaker_mention", "speaker_type", "via", "cue",
                          "content", "quote", "polarity", "date", "span"}
    assert claim["provenance"]["stage"] == "claims.v1"
    s, e = claim["span"]
    assert claim["speaker_mention"].split()[0] in rec["document"]["text"][s:e]
    event = rec["events"][0]
    assert set(event) >= {"id", "event_type", "sub_event_type", "date", "actor1",
                          "assoc_actor_1", "actor2", "location", "fatalities", "injured",
                          "targets", "claims", "span"}
    assert rec["disputes"][0]["field"] == "occurred"


def test_published_and_outlet_flags(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Regime forces shelled Saraqib yesterday, the monitor said.")
    result = runner.invoke(app, ["extract", str(path), "--published", "2020-02-03",
                                 "--outlet", "SOHR"])
    (rec,) = records(result.stdout)
    assert rec["document"]["outlet"] == "SOHR"
    assert rec["events"][0]["date"]["start"] == "2020-02-02"


def test_bad_published_flag_is_a_clear_error():
    result = runner.invoke(app, ["extract", "x.txt", "--published", "someday"])
    assert result.exit_code == 2
    assert "--published" in result.output


def test_batch_with_bad_inputs_goes_on_and_exits_non_zero(tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.txt").write_bytes(b"\x00\x01\x02PNG" * 10)
    (tmp_path / "c_latin1.txt").write_bytes(b"Ma\xe2arrat shelling")
    (tmp_path / "d_lines.jsonl").write_text('{"id": "ok1", "text": "Clashes in Saraqib."}\n'
                                           '{"id": broken\n')
    (tmp_path / "e_good.txt").write_text("Regime forces shelled Ariha on Monday.")
    proc = subprocess.run([sys.executable, "-m", "observatory", "extract", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    for name in ("a_empty.txt", "b_binary.txt", "c_latin1.txt", "d_lines.jsonl:2"):
        assert any(name in line for line in errors), (name, errors)
    ids = [r["document"]["id"] for r in records(proc.stdout)]
    assert "ok1" in ids and len(ids) == 2


def test_stdin_json_lines():
    payload = json.dumps({"id": "s1", "text": "SOHR said regime forces shelled Ariha."}) + "\n"
    result = runner.invoke(app, ["extract", "-"], input=payload)
    assert result.exit_code == 0
    assert records(result.stdout)[0]["document"]["id"] == "s1"


def test_pretty_summary():
    result = runner.invoke(app, ["extract", "--pretty",
                                 str(GOLDEN / "memo-2019-08-23-sohr-corridor.txt")])
    assert result.exit_code == 0
    assert "Claims" in result.stdout and "dispute" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_missing_model_is_a_clear_error(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Clashes in Saraqib.")
    proc = subprocess.run([sys.executable, "-m", "observatory", "extract", str(path), "--model",
                           "no_such_pipeline"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "no_such_pipeline" in proc.stderr and "Traceback" not in proc.stderr


def _commands(group, prefix=()):
    import typer.main
    click_group = typer.main.get_command(group)
    for name, cmd in click_group.commands.items():
        if hasattr(cmd, "commands"):
            for sub, subcmd in cmd.commands.items():
                yield (*prefix, name, sub), subcmd
        else:
            yield (*prefix, name), cmd


def test_every_command_and_option_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for words, cmd in _commands(app):
        assert f"observatory {' '.join(words)}" in readme, words
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt != "--help":
                    assert opt in readme, (words, opt)


def test_every_setting_is_documented_in_the_readme():
    import tomllib
    readme = (ROOT / "README.md").read_text("utf-8")
    defaults = tomllib.loads((ROOT / "src/observatory/data/defaults.toml").read_text())
    for key in defaults:
        assert f"`{key}`" in readme, key
        assert f"OBSERVATORY_{key.upper()}" in readme, key


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", readme, re.S)
    first = blocks[0].strip().splitlines()
    assert len(first) == 2
    assert first[1] in (ROOT / ".ci/run").read_text()
