#!/bin/sh
//bin/sh -c :; exec env MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967295}" MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-268435456}" MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}" node "$0" "$@"
/**
 * The `shendu` executable (package.json "bin"). It is read twice: first by /bin/sh, for which the line above runs
 * `//bin/sh -c :` (nothing) and then replaces itself — same process, same pid, so signals and exit codes are the
 * command's own — with node running this same file in the heap environment of heap-env.ts (glibc keeps the memory
 * the collector frees instead of paging it in afresh every step); then by node, for which that line is a comment
 * and the file imports the command. `node dist/src/cli/main.js` runs the command without the environment.
 * @module
 */
import './main.js';
