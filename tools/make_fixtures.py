#!/usr/bin/env python3
"""Writes the PyTorch golden values that shendu's op tests read (test/fixtures/ops/<family>.json).

Run with Debian's PyTorch:  apt-get install -y python3-torch && /usr/bin/python3 tools/make_fixtures.py
CI never runs this: it reads the committed JSON. Each family module in tools/fixtures/ defines CASES,
a list built with fixtures.common.case(...). Pass family names to regenerate only those.
"""
import importlib
import os
import pkgutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fixtures import common  # noqa: E402
import fixtures  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'ops')


def main(argv):
    wanted = set(argv[1:])
    names = [m.name for m in pkgutil.iter_modules(fixtures.__path__) if m.name != 'common']
    for name in sorted(names):
        if wanted and name not in wanted:
            continue
        mod = importlib.import_module('fixtures.' + name)
        path = os.path.join(OUT, name + '.json')
        n = common.write_family(path, mod.CASES)
        print(f'{path}: {n} cases')


if __name__ == '__main__':
    main(sys.argv)
