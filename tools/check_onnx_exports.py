"""Runs the ONNX checker (onnx.checker.check_model, full_check=True: also shape inference in strict mode) on the
files tools/export_onnx_zoo.mjs wrote, and records each file's verdict and SHA-256 in
test/fixtures/onnx_checker.json. test/io/onnx-export.test.ts re-exports the same seeded models and asserts the
bytes hash the same, so the checker's verdict holds for what shendu exports now, in CI without Python.

Files not in the directory keep their recorded verdicts, so a subset can be re-checked (export_onnx_zoo.mjs takes
case names); a file in the directory replaces its record.

Usage:
  npx tsc -p tsconfig.json && node tools/export_onnx_zoo.mjs /tmp/onnx-zoo [name...]
  /usr/bin/python3 tools/check_onnx_exports.py /tmp/onnx-zoo
"""
import hashlib
import json
import os
import sys

import onnx

def main(directory):
    out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'onnx_checker.json')
    files = json.load(open(out))['files'] if os.path.exists(out) else {}
    for fn in sorted(os.listdir(directory)):
        if not fn.endswith('.onnx'):
            continue
        path = os.path.join(directory, fn)
        data = open(path, 'rb').read()
        verdict = 'pass'
        try:
            model = onnx.load_from_string(data)
            onnx.checker.check_model(model, full_check=True)
        except Exception as e:  # the verdict records why it failed
            verdict = 'fail: %s' % str(e).splitlines()[0]
        files[fn[:-5]] = {'sha256': hashlib.sha256(data).hexdigest(), 'bytes': len(data), 'checker': verdict}
        print(fn, verdict)
    doc = {'onnx_version': onnx.__version__, 'check': 'onnx.checker.check_model(model, full_check=True)', 'files': files}
    with open(out, 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write('\n')
    if any(v['checker'] != 'pass' for v in files.values()):
        sys.exit(1)

if __name__ == '__main__':
    main(sys.argv[1])
