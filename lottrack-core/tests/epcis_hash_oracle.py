"""Test oracle: GS1's reference EPCIS event hash generator (PyPI package
`epcis-event-hash-generator`) on one EPCIS JSON document, event by event.

Usage: python epcis_hash_oracle.py FILE.jsonld
Prints one JSON object: {"events": [{"hash": str|null, "prehash": str|null,
"error": str|null}, ...], "patched": bool}.

The reference's own functions are called in the order its command line tool calls
them, with two isolations so that one failure does not hide every other result:
- each event is converted and hashed on its own; an event the reference cannot
  hash (it raises, e.g. an IndexError for a bizTransaction without a type) gets
  "hash": null and the error;
- `patched` is true when the document's @context has a term whose definition is an
  object (e.g. {"rail:vehicleMasterGIAI": {"@type": "@id"}}): the reference then
  crashes with a TypeError while collecting namespaces for the whole document; such
  terms are skipped (as lottrack does) so the other events can still be compared.
"""
import json
import logging
import sys

from epcis_event_hash_generator import hash_generator, json_to_py
from epcis_event_hash_generator import json_xml_model_mismatch_correction as fix

logging.disable(logging.CRITICAL)
patched = False


def tolerant_context(context):
    global patched
    if isinstance(context, list):
        cleaned = []
        for c in context:
            if isinstance(c, dict):
                d = {k: v for k, v in c.items() if isinstance(v, str)}
                if len(d) != len(c):
                    patched = True
                cleaned.append(d)
            else:
                cleaned.append(c)
        return cleaned
    return context


with open(sys.argv[1]) as f:
    doc = json.load(f)
json_to_py._namespaces.clear()
doc = json_to_py._bare_string_pre_preocessing(doc)
if doc.get("@context") is not None:
    json_to_py._collect_namespaces_from_jsonld_context(tolerant_context(doc["@context"]))
body = doc["epcisBody"]
event_list = body["eventList"] if "eventList" in body else [body["event"]]
out = []
for event in event_list:
    try:
        py = fix.deep_structure_correction(json_to_py._json_to_py(event))
        pre = hash_generator.derive_prehashes_from_events(("EventList", "", [py]))
        if not pre:
            raise ValueError("the reference skipped the event (it raised while pre-hashing)")
        h = hash_generator.calculate_hashes_from_pre_hashes(pre)
        out.append({"hash": h[0], "prehash": pre[0], "error": None})
    except Exception as e:  # noqa: BLE001 - report, do not hide, the reference's failure
        out.append({"hash": None, "prehash": None, "error": "%s: %s" % (type(e).__name__, e)})
print(json.dumps({"events": out, "patched": patched}))
