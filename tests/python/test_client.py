"""The JSON-RPC connection: socket paths, typed errors, pipelining, non-finite numbers, reconnection."""

from __future__ import annotations

import json
import math
import os
import threading

import pytest

import optunad
from optunad import _json
from optunad._paths import default_socket_path, resolve_socket_path
from optunad.exceptions import (
    DaemonUnreachable,
    DuplicatedStudyError,
    IncompatibleDistribution,
    InvalidParams,
    InvalidTell,
    MethodNotFound,
    NoCompletedTrials,
    NotSupported,
    OptunadError,
    StudyNotFound,
    TrialFinished,
    TrialNotFound,
    from_error_object,
)


@pytest.mark.parametrize(
    "env, uid, expected",
    [
        ({"OPTUNAD_SOCKET": "/x/y.sock", "RUNTIME_DIRECTORY": "/r"}, 0, "/x/y.sock"),
        ({"RUNTIME_DIRECTORY": "/run/optunad:/other"}, 1000, "/run/optunad/optunad.sock"),
        ({}, 0, "/run/optunad/optunad.sock"),
        ({"XDG_RUNTIME_DIR": "/run/user/1000"}, 1000, "/run/user/1000/optunad/optunad.sock"),
        ({}, 1000, "/tmp/optunad-1000/optunad.sock"),
        ({"OPTUNAD_SOCKET": ""}, 1000, "/tmp/optunad-1000/optunad.sock"),
    ],
)
def test_default_socket_path_follows_the_daemons_rules(env: dict, uid: int, expected: str) -> None:
    assert default_socket_path(env, uid) == expected


def test_explicit_socket_wins_over_environment() -> None:
    assert resolve_socket_path("/a.sock", {"OPTUNAD_SOCKET": "/b.sock"}, 0) == "/a.sock"
    assert resolve_socket_path(None, {"OPTUNAD_SOCKET": "/b.sock"}, 0) == "/b.sock"


def test_hello_lists_methods_samplers_and_pruners(daemon) -> None:
    hello = optunad.Client(daemon.socket).hello()
    assert hello["server"] == "optunad"
    assert hello["protocol"] == 1
    assert "random" in hello["samplers"] and "nop" in hello["pruners"]
    assert {"ask", "tell", "suggest", "report", "create_study"} <= set(hello["methods"])


def test_unreachable_socket_raises_daemon_unreachable(daemon_dir) -> None:
    client = optunad.Client(str(daemon_dir / "nobody.sock"))
    with pytest.raises(DaemonUnreachable) as info:
        client.call("hello")
    assert isinstance(info.value, ConnectionError)
    assert info.value.kind == "unreachable"


@pytest.mark.parametrize(
    "method, params, cls, kind, code",
    [
        ("get_study", {"study_name": "no-such-study"}, StudyNotFound, "study_not_found", -32001),
        ("get_trial", {"trial_id": 987654321}, TrialNotFound, "trial_not_found", -32003),
        ("no_such_method", None, MethodNotFound, "method_not_found", -32601),
        ("get_study", {"study_name": "x", "bogus": 1}, InvalidParams, "invalid_params", -32602),
    ],
)
def test_daemon_errors_become_typed_exceptions(daemon, method, params, cls, kind, code) -> None:
    with pytest.raises(cls) as info:
        optunad.Client(daemon.socket).call(method, params)
    assert isinstance(info.value, OptunadError)
    assert (info.value.kind, info.value.code) == (kind, code)
    assert info.value.message


def test_study_errors_are_also_optunas_builtin_types(socket_env, study_name) -> None:
    optunad.create_study(study_name=study_name)
    with pytest.raises(DuplicatedStudyError) as dup:
        optunad.create_study(study_name=study_name)
    assert dup.value.kind == "duplicated_study"
    with pytest.raises(KeyError):
        optunad.load_study(study_name=study_name + "-missing")


def test_trial_finished_carries_number_and_state(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    trial = study.ask()
    study.tell(trial, 1.0)
    with pytest.raises(TrialFinished) as info:
        study.tell(trial, 2.0)
    assert info.value.data == {"number": 0, "state": "COMPLETE"}
    assert isinstance(info.value, ValueError) and isinstance(info.value, RuntimeError)
    assert optunad.exceptions.UpdateFinishedTrialError is TrialFinished


def test_incompatible_distribution_names_the_parameter(socket_env, study_name) -> None:
    study = optunad.create_study(study_name=study_name)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)
    trial = study.ask()
    with pytest.raises(IncompatibleDistribution) as info:
        trial.suggest_int("x", 0, 10)
    assert info.value.kind == "incompatible_distribution"
    assert info.value.data.get("param") == "x"


def test_raw_tell_rules_are_invalid_tell(daemon, study_name) -> None:
    client = optunad.Client(daemon.socket)
    client.call("create_study", {"study_name": study_name, "directions": ["minimize", "minimize"]})
    trial = client.call("ask", {"study_name": study_name})
    with pytest.raises(InvalidTell):
        client.call("tell", {"trial_id": trial["trial_id"], "values": [1.0]})
    with pytest.raises(NotSupported):
        client.call("report", {"trial_id": trial["trial_id"], "step": 0, "value": 1.0})
    client.call("create_study", {"study_name": study_name + "-1"})
    with pytest.raises(NoCompletedTrials):
        client.call("best_trial", {"study_name": study_name + "-1"})


def test_unknown_kinds_fall_back_on_code_then_base_class() -> None:
    e = from_error_object({"code": -32001, "message": "m", "data": {"kind": "study_gone_fishing", "x": 1}})
    assert isinstance(e, StudyNotFound) and e.kind == "study_gone_fishing" and e.data == {"x": 1}
    e = from_error_object({"code": -32077, "message": "later", "data": {"kind": "future_kind"}})
    assert type(e) is OptunadError and e.kind == "future_kind" and e.code == -32077
    e = from_error_object({"code": -32005, "message": "m", "data": {"kind": "incompatible_distribution"}})
    assert isinstance(e, IncompatibleDistribution) and isinstance(e, ValueError)


def test_exceptions_pickle_with_their_fields() -> None:
    import pickle

    e = pickle.loads(pickle.dumps(TrialFinished("done", code=-32004, data={"number": 3})))
    assert (type(e), e.message, e.kind, e.code, e.data) == (TrialFinished, "done", "trial_finished", -32004,
                                                            {"number": 3})


def test_non_finite_numbers_round_trip(daemon, study_name) -> None:
    client = optunad.Client(daemon.socket)
    client.call("create_study", {"study_name": study_name})
    trial = client.call("ask", {"study_name": study_name})
    assert b"NaN" in _json.encode({"value": math.nan})  # Python's bare token, which the daemon accepts
    client.call("report", {"trial_id": trial["trial_id"], "step": 0, "value": math.nan})
    client.call("report", {"trial_id": trial["trial_id"], "step": 1, "value": -math.inf})
    told = client.call("tell", {"trial_id": trial["trial_id"], "value": math.inf})
    assert told["values"] == ["Infinity"]  # the daemon writes strings
    frozen = optunad.trial.FrozenTrial.from_wire(told)
    assert frozen.value == math.inf
    assert math.isnan(frozen.intermediate_values[0]) and frozen.intermediate_values[1] == -math.inf


def test_pipeline_answers_in_order_and_returns_errors(daemon, study_name) -> None:
    client = optunad.Client(daemon.socket)
    calls = [("create_study", {"study_name": study_name})]
    calls += [("ask", {"study_name": study_name}) for _ in range(150)]  # more than the daemon's 128-deep queue
    calls += [("get_study", {"study_name": study_name + "-none"}), ("get_study", {"study_name": study_name})]
    results = client.pipeline(calls)
    assert len(results) == len(calls)
    assert [r["number"] for r in results[1:151]] == list(range(150))
    assert isinstance(results[151], StudyNotFound)
    assert results[152]["n_trials"] == 150


def test_notification_is_executed_without_answer(daemon, study_name) -> None:
    client = optunad.Client(daemon.socket)
    client.call("create_study", {"study_name": study_name})
    client.notify("set_study_user_attr", {"study_name": study_name, "key": "k", "value": [1, "two"]})
    # The same connection is reused, so the next request runs after the notification.
    assert client.call("get_study", {"study_name": study_name})["user_attrs"] == {"k": [1, "two"]}


def test_client_is_thread_safe(daemon, study_name) -> None:
    client = optunad.Client(daemon.socket)
    client.call("create_study", {"study_name": study_name})
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                t = client.call("ask", {"study_name": study_name})
                client.call("tell", {"trial_id": t["trial_id"], "value": float(t["number"])})
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    trials = client.call("get_trials", {"study_name": study_name})
    assert sorted(t["number"] for t in trials) == list(range(200))
    assert all(t["state"] == "COMPLETE" and t["value"] == float(t["number"]) for t in trials)
    assert len(client._idle) <= 8


def test_client_reconnects_after_daemon_restart(start_daemon) -> None:
    first = start_daemon()
    client = optunad.Client(first.socket)
    client.call("create_study", {"study_name": "before"})
    assert first.stop() == 0
    start_daemon(socket_path=first.socket)
    # The pooled connection went stale with the old daemon; the client notices and opens a new one.
    assert client.call("create_study", {"study_name": "after"})["study_name"] == "after"


def test_client_after_fork_does_not_share_sockets(daemon) -> None:
    client = optunad.Client(daemon.socket)
    client.hello()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            ok = client.hello()["server"] == "optunad" and client._pid == os.getpid()
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    assert answer == b"1"
    assert client.hello()["server"] == "optunad"


def test_encode_handles_numpy_values() -> None:
    np = pytest.importorskip("numpy")
    line = _json.encode({"a": np.int64(3), "b": np.float32(0.5), "c": np.arange(3), "d": np.bool_(True)})
    assert json.loads(line) == {"a": 3, "b": 0.5, "c": [0, 1, 2], "d": True}


def test_answers_survive_the_clients_half_close(daemon) -> None:
    import socket as socketlib

    for _ in range(5):
        with socketlib.socket(socketlib.AF_UNIX, socketlib.SOCK_STREAM) as s:
            s.connect(daemon.socket)
            s.sendall(b'{"id":1,"method":"hello"}\n{"id":2,"method":"hello"}\n{"id":3,"method":"hello"}\n')
            s.shutdown(socketlib.SHUT_WR)  # what socat and nc do at the end of their input
            received = b""
            while chunk := s.recv(65536):
                received += chunk
        assert [json.loads(line)["id"] for line in received.splitlines()] == [1, 2, 3]
