"""server.py - the real fsd-server for the conformance run, started through
fsd-test-server (tests/support/serve_child.c) as every other test starts
it, and a staff session on its JSON API to set the scene."""

import http.cookiejar
import json
import os
import subprocess
import urllib.error
import urllib.request

DEMO_PASSWORD = "dispatch-demo-2026"


class Server:
    def __init__(self, build, directory):
        self.build, self.dir = build, directory
        self.bin = os.path.join(build, "fsd-server")
        self.proc = None
        self.url = self.pid = self.db = None

    def start(self, data="demo"):
        self.proc = subprocess.Popen(
            [os.path.join(self.build, "tests", "fsd-test-server"),
             "--server", self.bin, "--dir", self.dir, "--data", data,
             "--", "--log-level", "warn"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.proc.stdout.readline().decode().split()
        if len(line) != 3:
            raise RuntimeError("fsd-server did not start; see "
                               f"{self.dir}/server.log")
        self.url, self.pid, self.db = line[0], int(line[1]), line[2]
        return self.url

    def stop(self):
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
            self.proc = None

    def command(self, *args):
        """fsd-server COMMAND ARGS --db DB: its output."""
        return subprocess.run(
            [self.bin, *args, "--db", os.path.join(self.dir, "fsd.db"),
             "--log-level", "warn"], check=True, capture_output=True,
            text=True, timeout=120).stdout


class Staff:
    """A dispatcher's (or manager's) session on the staff API."""

    def __init__(self, url, username="dispatcher"):
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        reply = self.call("POST", "/api/v1/login",
                          {"username": username, "password": DEMO_PASSWORD})
        self.csrf = reply["csrf_token"]

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        req = urllib.request.Request(
            self.url + path, method=method,
            data=None if body is None else json.dumps(body).encode())
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if method != "GET" and getattr(self, "csrf", None):
            req.add_header("X-CSRF-Token", self.csrf)
        try:
            with self.opener.open(req, timeout=15) as r:
                status, data = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, data = e.code, e.read()
        if status not in expect:
            raise AssertionError(f"{method} {path}: {status} {data[:200]}")
        return json.loads(data) if data else None

    def technician(self, name):
        return self.call("POST", "/api/v1/technicians", {
            "name": name, "start_lat": 31.2, "start_lon": 121.4})["id"]

    def job_for(self, technician_id, fault="no cooling"):
        customer = self.call("POST", "/api/v1/customers",
                             {"name": "Conformance Cafe"})["id"]
        job = self.call("POST", "/api/v1/jobs", {
            "customer_id": customer, "kind": "repair", "fault": fault})["id"]
        self.call("POST", f"/api/v1/jobs/{job}/events", {"event": "book",
                                                           "accept_callout": True})
        self.call("POST", f"/api/v1/jobs/{job}/events",
                  {"event": "assign", "technician_id": technician_id})
        return job

    def code(self, technician_id):
        return self.call(
            "POST", f"/api/v1/technicians/{technician_id}/enrollment-codes"
        )["code"]

    def status(self, job):
        return self.call("GET", f"/api/v1/jobs/{job}")["status"]

    def timeline(self, job):
        return self.call("GET", f"/api/v1/jobs/{job}/timeline")["items"]
