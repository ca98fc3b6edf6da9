"""Writing fixture files: a module with no torch import, so scikit-learn fixtures stay independent of it."""
import json
import os
import tempfile


def write_json_atomic(path, data):
    """Writes `data` as compact JSON to `path` through a temp file and a rename, so no reader sees half a file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix='.tmp')
    try:
        with os.fdopen(fd, 'w') as f:
            json.dump(data, f, separators=(',', ':'), allow_nan=False)
            f.write('\n')
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
