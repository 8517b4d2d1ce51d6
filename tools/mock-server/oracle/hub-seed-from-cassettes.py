# A seed for `npm run mock -- hub --seed FILE`, built from the recorded Hub traffic, so the Python client's own
# suite (whose tests read objects by their recorded ids) can run against the fake: every object the recordings show
# the server answering, except those a test creates itself with a client-chosen id; every token the recordings used
# successfully; the project of a token where a 400's request_params reveals it.
# Usage: hub-seed-from-cassettes.py <cassettes dir> <comma-separated resource names> <out.json>
import json, glob, yaml, sys, gzip
cassettes, names, out_file = sys.argv[1], sys.argv[2], sys.argv[3]
known = set(names.split(','))
FIELDS = ['project_api_token', 'cluster_api_token', 'token', 'system_token']
def plural(n): return n + ('es' if n.endswith('us') or n.endswith('ch') else 's')
seed, tokens, token_projects, created = {}, set(), {}, set()
def add(o):
    if not isinstance(o, dict) or 'object' not in o or 'id' not in o: return
    r = plural(o['object'])
    if r in known: seed.setdefault(r, {})[str(o['id'])] = o
for f in sorted(glob.glob(cassettes + '/**/*.yaml', recursive=True)):
    doc = yaml.load(open(f).read().replace("!!python/unicode", ""), Loader=yaml.Loader)
    for it in doc['interactions']:
        req, res = it['request'], it['response']
        raw = req['body']
        if isinstance(raw, bytes) and raw[:2] == b'\x1f\x8b': raw = gzip.decompress(raw).decode()
        try: body = json.loads(raw) if isinstance(raw, (str, bytes)) else {}
        except Exception: body = {}
        if not isinstance(body, dict): body = {}
        b = res['body'].get('string')
        try: j = json.loads(b) if isinstance(b, str) else None
        except Exception: j = None
        if res['status']['code'] != 401:
            for fld in FIELDS:
                if isinstance(body.get(fld), str): tokens.add(body[fld])
        if isinstance(j, dict) and isinstance(j.get('meta'), dict) and 'request_params' in j['meta']:
            rp = j['meta']['request_params']
            for fld in FIELDS:
                if isinstance(body.get(fld), str) and 'project_id' in rp: token_projects[body[fld]] = rp['project_id']
        if not isinstance(j, dict): continue
        if req['method'] == 'POST' and 'id' in body and 'refit_data_path' not in body:
            created.add(str(body['id']))
            continue
        d = j.get('data')
        for o in (d if isinstance(d, list) else [d]): add(o)
out = {k: [o for i, o in v.items() if i not in created] for k, v in seed.items()}
out['_tokens'] = [t for t in sorted(tokens) if t not in token_projects] + [{'token': t, 'project_id': p} for t, p in token_projects.items()]
json.dump(out, open(out_file, 'w'))
print({k: len(v) for k, v in out.items()})
