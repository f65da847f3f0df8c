# SPDX-License-Identifier: MIT
"""A PEP 517 build backend for the loopprobe binding, standard library only.

The package is a directory of .py files, so a wheel is a zip of them plus
the .dist-info files (PEP 427, PEP 376); an sdist is a tar of this
directory.  pip calls the hooks below; nothing here needs the network.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

NAME = "loopprobe"
SUMMARY = ("Which event-notification mechanisms really work here, at every layer including "
           "this Python's select and selectors, and what hid the others")
REQUIRES_PYTHON = ">=3.7"
TAG = "py3-none-any"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(HERE, NAME)
EPOCH = (2020, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same wheel every time
SKIP = {"_build_config.py", "_install_config.py"}  # only in the copies CMake makes


def _version():
    with open(os.path.join(PACKAGE, "__init__.py"), encoding="utf-8") as f:
        return re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)


def _dist_info():
    return "%s-%s.dist-info" % (NAME, _version())


def _metadata():
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: %s\n"
            "License: MIT\nClassifier: License :: OSI Approved :: MIT License\n"
            "Requires-Python: %s\n" % (NAME, _version(), SUMMARY, REQUIRES_PYTHON))


def _wheel_file():
    return ("Wheel-Version: 1.0\nGenerator: loopprobe_build\nRoot-Is-Purelib: true\n"
            "Tag: %s\n" % TAG)


def _sources():
    """(path in the wheel, bytes) of every module of the package."""
    out = []
    for name in sorted(os.listdir(PACKAGE)):
        if name.endswith(".py") and name not in SKIP:
            with open(os.path.join(PACKAGE, name), "rb") as f:
                out.append(("%s/%s" % (NAME, name), f.read()))
    return out


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def _write_wheel(directory, files):
    info = _dist_info()
    files = files + [("%s/METADATA" % info, _metadata().encode()),
                     ("%s/WHEEL" % info, _wheel_file().encode()),
                     ("%s/top_level.txt" % info, (NAME + "\n").encode())]
    record = [_record_line(p, d) for p, d in files] + ["%s/RECORD,," % info]
    files.append(("%s/RECORD" % info, ("\n".join(record) + "\n").encode()))
    name = "%s-%s-%s.whl" % (NAME, _version(), TAG)
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            entry = zipfile.ZipInfo(path, EPOCH)
            entry.external_attr = 0o644 << 16
            z.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return name


# --- PEP 517 -----------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info = os.path.join(metadata_directory, _dist_info())
    os.makedirs(info, exist_ok=True)
    for name, text in (("METADATA", _metadata()), ("WHEEL", _wheel_file())):
        with open(os.path.join(info, name), "w", encoding="utf-8") as f:
            f.write(text)
    return _dist_info()


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, _sources())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 660: a wheel whose .pth puts this directory on sys.path."""
    return _write_wheel(wheel_directory, [("_%s_editable.pth" % NAME, (HERE + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    base = "%s-%s" % (NAME, _version())
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as tar:
        files = ["pyproject.toml", "build_backend/loopprobe_build.py"]
        for rel in files + [p for p, _ in _sources()]:
            tar.add(os.path.join(HERE, rel), arcname="%s/%s" % (base, rel))
        pkg_info = _metadata().encode()
        entry = tarfile.TarInfo("%s/PKG-INFO" % base)
        entry.size = len(pkg_info)
        tar.addfile(entry, io.BytesIO(pkg_info))
    return name
