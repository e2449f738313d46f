#!/usr/bin/env python3
"""Writes the JSON Schemas of protocol v1 (one file per method, plus shared definitions).

Run from this folder after changing the protocol: `python3 generate.py`. The test suite validates every golden
transcript line against these files, so a schema that disagrees with the daemon fails the build.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = "https://optunad.invalid/protocol/v1/"

number = {"oneOf": [{"type": "number"}, {"enum": ["NaN", "Infinity", "-Infinity"]}]}
scalar = {"type": ["null", "boolean", "number", "string"]}
state = {"enum": ["RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"]}
direction_out = {"enum": ["MINIMIZE", "MAXIMIZE"]}
trial_id = {"type": "integer", "minimum": 1}

definitions = {
    "number": number,
    "distribution": {
        "oneOf": [
            {"type": "object", "required": ["type", "low", "high"], "additionalProperties": False,
             "properties": {"type": {"const": "float"}, "low": {"type": "number"}, "high": {"type": "number"},
                            "log": {"type": ["boolean", "null"]}, "step": {"type": ["number", "null"], "exclusiveMinimum": 0}}},
            {"type": "object", "required": ["type", "low", "high"], "additionalProperties": False,
             "properties": {"type": {"const": "int"}, "low": {"type": "integer"}, "high": {"type": "integer"},
                            "log": {"type": ["boolean", "null"]}, "step": {"type": ["integer", "null"], "minimum": 1}}},
            {"type": "object", "required": ["type", "choices"], "additionalProperties": False,
             "properties": {"type": {"const": "categorical"}, "choices": {"type": "array", "minItems": 1, "items": scalar}}},
            {"type": "object", "required": ["name", "attributes"],
             "properties": {"name": {"type": "string"}, "attributes": {"type": "object"}}},
        ]
    },
    "spec": {"oneOf": [{"type": "string"}, {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}}]},
    "trial": {
        "type": "object",
        "required": ["trial_id", "number", "study_name", "state", "params", "distributions", "values", "value",
                     "intermediate_values", "user_attrs", "system_attrs", "constraints", "datetime_start", "datetime_complete"],
        "additionalProperties": False,
        "properties": {
            "trial_id": trial_id, "number": {"type": "integer", "minimum": 0}, "study_name": {"type": "string"},
            "state": state, "params": {"type": "object", "additionalProperties": scalar},
            "distributions": {"type": "object", "additionalProperties": {"$ref": "#/definitions/distribution"}},
            "values": {"oneOf": [{"type": "null"}, {"type": "array", "items": number}]},
            "value": {"oneOf": [{"type": "null"}, number]},
            "intermediate_values": {"type": "object", "propertyNames": {"pattern": "^[0-9]+$"}, "additionalProperties": number},
            "user_attrs": {"type": "object"}, "system_attrs": {"type": "object"},
            "constraints": {"oneOf": [{"type": "null"}, {"type": "array", "items": number}]},
            "datetime_start": {"type": ["string", "null"]}, "datetime_complete": {"type": ["string", "null"]},
        },
    },
    "study": {
        "type": "object",
        "required": ["study_id", "study_name", "directions", "sampler", "pruner", "options", "owner_uid",
                     "grid_exhausted", "user_attrs", "system_attrs", "n_trials", "n_trials_by_state", "best_trial",
                     "datetime_start"],
        "additionalProperties": False,
        "properties": {
            "study_id": {"type": "integer"}, "study_name": {"type": "string"},
            "directions": {"type": "array", "minItems": 1, "items": direction_out},
            "sampler": {"type": "object", "required": ["type"]}, "pruner": {"type": "object", "required": ["type"]},
            "options": {"type": "object", "required": ["heartbeat_interval", "grace_period", "retry", "max_trials",
                                                       "max_running", "shared"]},
            "owner_uid": {"type": ["integer", "null"]}, "grid_exhausted": {"type": ["boolean", "null"]},
            "user_attrs": {"type": "object"}, "system_attrs": {"type": "object"},
            "n_trials": {"type": "integer", "minimum": 0},
            "n_trials_by_state": {"type": "object", "additionalProperties": {"type": "integer"}},
            "best_trial": {"oneOf": [{"type": "null"}, {"$ref": "#/definitions/trial"}]},
            "datetime_start": {"type": ["string", "null"]},
        },
    },
    "empty": {"type": "object", "maxProperties": 0},
    "should_prune": {"type": "object", "required": ["should_prune"], "additionalProperties": False,
                     "properties": {"should_prune": {"type": "boolean"}}},
}

direction_in = {"type": "string", "enum": ["minimize", "maximize", "MINIMIZE", "MAXIMIZE"]}
study_name = {"type": "string", "minLength": 1, "maxLength": 512}

def obj(required, props):
    return {"type": "object", "required": required, "additionalProperties": False, "properties": props}

methods = {
    "hello": (obj([], {}), obj(["server", "version", "protocol", "storage", "samplers", "pruners", "methods"], {
        "server": {"const": "optunad"}, "version": {"type": "string"}, "protocol": {"const": 1},
        "storage": {"type": "string"}, "samplers": {"type": "array", "items": {"type": "string"}},
        "pruners": {"type": "array", "items": {"type": "string"}}, "methods": {"type": "array", "items": {"type": "string"}}})),
    "create_study": (obj([], {"study_name": study_name, "direction": {"type": "string"},
                              "directions": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                              "sampler": {"$ref": "#/definitions/spec"}, "pruner": {"$ref": "#/definitions/spec"},
                              "load_if_exists": {"type": "boolean"}, "user_attrs": {"type": "object"},
                              "heartbeat_interval": {"type": "number", "exclusiveMinimum": 0},
                              "grace_period": {"type": "number", "exclusiveMinimum": 0},
                              "retry": {"type": ["object", "boolean"]}, "max_trials": {"type": "integer", "minimum": 1},
                              "max_running": {"type": "integer", "minimum": 1}, "shared": {"type": "boolean"}}),
                     {"$ref": "#/definitions/study"}),
    "get_study": (obj(["study_name"], {"study_name": study_name}), {"$ref": "#/definitions/study"}),
    "get_all_studies": (obj([], {}), {"type": "array", "items": {"$ref": "#/definitions/study"}}),
    "delete_study": (obj(["study_name"], {"study_name": study_name}), {"$ref": "#/definitions/empty"}),
    "set_study_user_attr": (obj(["study_name", "key", "value"], {"study_name": study_name, "key": {"type": "string"}, "value": {}}),
                            {"$ref": "#/definitions/empty"}),
    "enqueue_trial": (obj(["study_name"], {"study_name": study_name, "params": {"type": "object"}, "user_attrs": {"type": "object"},
                                           "skip_if_exists": {"type": "boolean"}}),
                      obj(["trial_id", "number"], {"trial_id": trial_id, "number": {"type": "integer"}})),
    "heartbeat": (obj(["trial_id"], {"trial_id": trial_id}), {"$ref": "#/definitions/empty"}),
    "export_sqlite": (obj([], {"study_names": {"type": "array", "minItems": 1, "items": {"type": "string"}}}),
                      obj(["sqlite_base64", "bytes"], {"sqlite_base64": {"type": "string"}, "bytes": {"type": "integer"}})),
    "ask": (obj(["study_name"], {"study_name": study_name,
                                 "search_space": {"type": "object", "additionalProperties": {"$ref": "#/definitions/distribution"}},
                                 "lease": {"enum": ["connection", "heartbeat"]}, "client_id": {"type": "string"},
                                 "wait_ms": {"type": "integer", "minimum": 0, "maximum": 3600000}}),
            obj(["trial_id", "number", "params"], {"trial_id": trial_id, "number": {"type": "integer"},
                                                  "params": {"type": "object", "additionalProperties": scalar}})),
    "suggest": (obj(["trial_id", "name", "distribution"], {"trial_id": trial_id, "name": {"type": "string"},
                                                           "distribution": {"$ref": "#/definitions/distribution"}}),
                obj(["value"], {"value": scalar})),
    "report": (obj(["trial_id", "step", "value"], {"trial_id": trial_id, "step": {"type": "integer", "minimum": 0}, "value": number}),
               {"$ref": "#/definitions/should_prune"}),
    "should_prune": (obj(["trial_id"], {"trial_id": trial_id}), {"$ref": "#/definitions/should_prune"}),
    "tell": (obj(["trial_id"], {"trial_id": trial_id, "value": number, "values": {"type": "array", "items": number},
                                "state": {"type": "string"}, "constraints": {"type": "array", "items": number},
                                "skip_if_finished": {"type": "boolean"}}),
             {"$ref": "#/definitions/trial"}),
    "set_trial_user_attr": (obj(["trial_id", "key", "value"], {"trial_id": trial_id, "key": {"type": "string"}, "value": {}}),
                            {"$ref": "#/definitions/empty"}),
    "get_trial": (obj(["trial_id"], {"trial_id": trial_id}), {"$ref": "#/definitions/trial"}),
    "get_trials": (obj(["study_name"], {"study_name": study_name, "states": {"type": "array", "items": {"type": "string"}},
                                        "offset": {"type": "integer", "minimum": 0}, "limit": {"type": "integer", "minimum": 0}}),
                   {"type": "array", "items": {"$ref": "#/definitions/trial"}}),
    "best_trial": (obj(["study_name"], {"study_name": study_name}), {"$ref": "#/definitions/trial"}),
    "best_trials": (obj(["study_name"], {"study_name": study_name}), {"type": "array", "items": {"$ref": "#/definitions/trial"}}),
}

envelope = {
    "request": {"type": "object", "required": ["method"],
                "properties": {"jsonrpc": {"const": "2.0"}, "id": {"type": ["string", "number", "null"]},
                               "method": {"type": "string"}, "params": {"type": "object"}}},
    "response": {"type": "object", "required": ["jsonrpc", "id"],
                 "oneOf": [{"required": ["result"]}, {"required": ["error"]}],
                 "properties": {"jsonrpc": {"const": "2.0"}, "id": {"type": ["string", "number", "null"]},
                                "result": {},
                                "error": {"type": "object", "required": ["code", "message", "data"],
                                          "properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                                                         "data": {"type": "object", "required": ["kind"],
                                                                  "properties": {"kind": {"type": "string", "pattern": "^[a-z_]+$"}}}}}}},
}


def write(name, schema):
    schema = dict(schema)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = BASE + name
    schema["definitions"] = definitions
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(schema, f, indent=2, sort_keys=True)
        f.write("\n")


for name, schema in envelope.items():
    write(f"{name}.json", schema)
for method, (params, result) in methods.items():
    write(f"{method}.params.json", params)
    write(f"{method}.result.json", result)
