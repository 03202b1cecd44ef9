#!/usr/bin/env python3
"""Builds the fixture chart archives from their folders, as `helm package` lays them out
(one top directory named after the chart), deterministically (sorted entries, no times,
owners or modes of the machine), so the committed archives only change when the folders do.

    python3 scripts/charts/build.py

writes tests/charts/koi/charts/metrics-0.4.0.tgz (a subchart kept as an archive inside the
folder chart) and tests/charts/koi-3.0.1.tgz (the whole chart, that archive included).
"""
import gzip
import io
import os
import tarfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "charts")


def package(folder, name, out):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = []
        for base, dirs, files in os.walk(folder):
            dirs.sort()
            for f in sorted(files):
                path = os.path.join(base, f)
                rel = os.path.relpath(path, folder).replace(os.sep, "/")
                if rel.startswith(".git") or rel.endswith(".tmp"):
                    continue
                entries.append((rel, path))
        for rel, path in sorted(entries):
            data = open(path, "rb").read()
            info = tarfile.TarInfo(f"{name}/{rel}")
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    with open(out, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
            gz.write(buf.getvalue())


package(os.path.join(ROOT, "metrics-src"), "metrics",
        os.path.join(ROOT, "koi", "charts", "metrics-0.4.0.tgz"))
package(os.path.join(ROOT, "koi"), "koi", os.path.join(ROOT, "koi-3.0.1.tgz"))
