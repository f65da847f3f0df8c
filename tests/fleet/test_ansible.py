#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_ansible - contrib/ansible's playbook, run for real with Debian's
ansible-core on an inventory of hosts reached with the local connection,
each with its own environment, so that their reports really differ:

    clean-1, clean-2   nothing special
    noepoll            EVENT_NOEPOLL=1 (libevent avoids epoll)
    wrapped            LD_PRELOAD=libwrap_fail.so (epoll_wait fails)

    test_ansible.py SCENARIO LOOPPROBE WRAP_FAIL FLEET_SCHEMA WORKDIR [--sanitized]

SCENARIO: findings   no --require: the two odd hosts have error findings,
                     so the play fails (2) naming them and their causes;
          require    --require epoll@libevent: the same two fail it;
          pass       --require poll@api on every host but wrapped: the play
                     passes (0).
Checks the play's exit status, the failure message of each failed host
(its loopprobe status and the reason), the PLAY RECAP, the merged
matrix it prints, and fleet.json (schema, grouping by cause).
"""

import json
import os
import re
import shutil
import subprocess
import sys

PLAYBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "contrib",
                        "ansible", "playbook.yml")


def fail(msg, out=""):
    print("FAIL: " + msg)
    if out:
        print("--- ansible-playbook ---")
        print(out)
    sys.exit(1)


def inventory(hosts, wrap_fail):
    env = {"noepoll": {"EVENT_NOEPOLL": "1"}, "wrapped": {"LD_PRELOAD": wrap_fail}}
    inv = {"all": {"vars": {"ansible_connection": "local",
                            "ansible_python_interpreter": "/usr/bin/python3"},
                   "hosts": {h: ({"loopprobe_environment": env[h]} if h in env else {})
                             for h in hosts}}}
    return inv


def run_play(work, hosts, wrap_fail, loopprobe, require, sanitized):
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    with open(os.path.join(work, "inventory.json"), "w") as f:
        json.dump(inventory(hosts, wrap_fail), f)
    extra = {"loopprobe_binary": loopprobe, "loopprobe_collect_dir": os.path.join(work, "collect"),
             "loopprobe_timeout_ms": 10000, "loopprobe_require": require}
    with open(os.path.join(work, "vars.json"), "w") as f:
        json.dump(extra, f)
    env = dict(os.environ)
    env.update({"ANSIBLE_HOME": os.path.join(work, "ansible-home"),
                "ANSIBLE_LOCAL_TEMP": os.path.join(work, "ansible-tmp"),
                "ANSIBLE_REMOTE_TEMP": os.path.join(work, "ansible-remote"),
                "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
                "ANSIBLE_RETRY_FILES_ENABLED": "0", "ANSIBLE_STDOUT_CALLBACK": "default",
                "ANSIBLE_INVENTORY_ENABLED": "yaml", "PYTHONDONTWRITEBYTECODE": "1"})
    env.pop("NO_COLOR", None)
    if sanitized:
        env["ASAN_OPTIONS"] = "verify_asan_link_order=0:detect_leaks=1:handle_segv=0"
    cmd = ["ansible-playbook", "-i", os.path.join(work, "inventory.json"), PLAYBOOK,
           "-e", "@" + os.path.join(work, "vars.json")]
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=280)
    return p.returncode, p.stdout


def recap(out):
    """{host: {ok: n, failed: n, ...}} from the PLAY RECAP."""
    hosts = {}
    for m in re.finditer(r"^(\S+)\s+:\s+(.*)$", out.split("PLAY RECAP", 1)[-1], re.M):
        hosts[m.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
    return hosts


def minority(fleet, cell):
    mech, layer = cell.split("@")
    for c in fleet["cells"]:
        if c["mechanism"] == mech and c["layer"] == layer:
            return [(g["verdict"], g["hosts"], g["cause"]["kind"] if g["cause"] else None)
                    for g in c["minority"]]
    fail("fleet.json has no cell " + cell)


def check_fleet(work, schema, out):
    import jsonschema  # Debian: python3-jsonschema

    path = os.path.join(work, "collect", "fleet.json")
    if not os.path.exists(path):
        fail("the play wrote no fleet.json", out)
    fleet = json.load(open(path))
    jsonschema.validate(fleet, json.load(open(schema)), cls=jsonschema.Draft202012Validator)
    text = open(os.path.join(work, "collect", "fleet.txt")).read()
    print("--- the fleet matrix the play printed (fleet.txt) ---")
    print(text)
    for line in text.splitlines():  # printed by the play, one quoted line each
        if line.strip() and json.dumps(line) not in out:
            fail("the play did not print the matrix line %r" % line, out)
    return fleet


def check_failed(out, rc, failed, reasons):
    if rc != (2 if failed else 0):
        fail("ansible-playbook exited %d, expected %d" % (rc, 2 if failed else 0), out)
    rec = recap(out)
    for host, counts in rec.items():
        want = 1 if host in failed else 0
        if counts.get("failed") != want:
            fail("PLAY RECAP says %s failed=%s, expected %d" % (host, counts.get("failed"), want),
                 out)
    for host, why in reasons.items():
        msg = "loopprobe exited 1 on %s: %s" % (host, why)
        if msg not in out:
            fail("no failure message %r" % msg, out)


def main():
    scenario, loopprobe, wrap_fail, schema, work = sys.argv[1:6]
    sanitized = "--sanitized" in sys.argv[6:]
    hosts = ["clean-1", "clean-2", "noepoll", "wrapped"]
    if scenario == "findings":
        rc, out = run_play(work, hosts, wrap_fail, loopprobe, "", sanitized)
        fleet = check_fleet(work, schema, out)
        check_failed(out, rc, {"noepoll", "wrapped"},
                     {"noepoll": "hidden-by-environment (epoll@libevent)",
                      "wrapped": "hidden-by-wrapper (epoll@api and 3 more)"})
        want = [("hidden", ["noepoll"], "hidden-by-environment"),
                ("hidden", ["wrapped"], "hidden-by-wrapper")]
        if minority(fleet, "epoll@libevent") != want:
            fail("epoll@libevent's odd hosts: %r, expected %r"
                 % (minority(fleet, "epoll@libevent"), want))
        if minority(fleet, "epoll@api") != [("hidden", ["wrapped"], "hidden-by-wrapper")]:
            fail("epoll@api's odd hosts: %r" % minority(fleet, "epoll@api"))
        if minority(fleet, "poll@api") != []:
            fail("hosts disagree on poll@api: %r" % minority(fleet, "poll@api"))
        matrix = "epoll     ok        ok*       ok*       ok*       ok*"
        if json.dumps(matrix) not in out:
            fail("the printed matrix lacks %r" % matrix, out)
        group = "hidden on 1 of 4: noepoll -- hidden-by-environment: libevent avoids epoll"
        if group not in out:
            fail("the printed matrix lacks %r" % group, out)
        if fleet["failed_hosts"] != ["noepoll", "wrapped"] or fleet["exit_code"] != 1:
            fail("fleet.json: failed_hosts %r, exit_code %r" % (fleet["failed_hosts"],
                                                               fleet["exit_code"]))
    elif scenario == "require":
        rc, out = run_play(work, hosts, wrap_fail, loopprobe, "epoll@libevent", sanitized)
        fleet = check_fleet(work, schema, out)
        why = "requirement not met: epoll@libevent is hidden"
        check_failed(out, rc, {"noepoll", "wrapped"}, {"noepoll": why, "wrapped": why})
        if fleet["require"] != "epoll@libevent" or fleet["failed_hosts"] != ["noepoll", "wrapped"]:
            fail("fleet.json: require %r, failed_hosts %r" % (fleet["require"],
                                                             fleet["failed_hosts"]))
    elif scenario == "pass":
        rc, out = run_play(work, hosts[:3], wrap_fail, loopprobe, "poll@api", sanitized)
        fleet = check_fleet(work, schema, out)
        check_failed(out, rc, set(), {})
        if fleet["exit_code"] != 0 or len(fleet["hosts"]) != 3:
            fail("fleet.json: exit_code %r, %d hosts" % (fleet["exit_code"], len(fleet["hosts"])))
        if minority(fleet, "epoll@libevent") != [("hidden", ["noepoll"], "hidden-by-environment")]:
            fail("epoll@libevent's odd hosts: %r" % minority(fleet, "epoll@libevent"))
    else:
        fail("unknown scenario " + scenario)
    for line in out.splitlines():
        if "FAILED!" in line or re.match(r"^\S+\s+: ok=", line):
            print(line.rstrip())
    print("ok: ansible-playbook exited %d as the hosts said" % rc)


if __name__ == "__main__":
    main()
