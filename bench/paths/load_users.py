"""The locust users of the load test (bench/paths/load.py runs ``locust -f`` on this file).

Analysts, logged in already (their session cookies come from the bench), click through a realistic
mix without pausing: lists with filters, a search, items, the dashboard, filtered exports. One staff
member saves an item through the admin change form once a second (GET the form, submit its
fields), so every second the record changes under the analysts. Every request is recorded
(start, name, milliseconds, ok) into BENCH_LOAD_RECORDS, which the bench reads at the end.

Settings come from the JSON file BENCH_LOAD_CONFIG: host, sessions, refs and filter values."""

import itertools
import json
import os
import random
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, constant, constant_pacing, events, task

from bench import load_mix
from bench.forms import form_errors, read_form

CONFIG = json.loads(Path(os.environ["BENCH_LOAD_CONFIG"]).read_text(encoding="utf-8"))
RECORDS = []
_analyst_sessions = itertools.cycle(CONFIG["analyst_sessions"])


@events.request.add_listener
def record(request_type, name, response_time, exception, start_time=None, **kwargs):
    RECORDS.append([start_time, name, response_time, exception is None])


@events.quitting.add_listener
def write_records(environment, **kwargs):
    with open(os.environ["BENCH_LOAD_RECORDS"], "w", encoding="utf-8") as handle:
        json.dump(RECORDS, handle)


def session_cookie(name, value):
    host = urlsplit(CONFIG["host"]).hostname
    return Cookie(
        0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {}
    )


class LoggedIn(FastHttpUser):
    abstract = True
    host = CONFIG["host"]

    def log_in(self, session):
        self.client.cookiejar.set_cookie(session_cookie(CONFIG["session_cookie"], session))

    def get(self, url, name):
        """GET ``url`` (read whole); anything but 200 (a redirect to the login page too) fails."""
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")
            return response


def visit(kind):
    """A locust task: one request of ``kind`` (bench/load_mix.py), named by its kind."""

    def request(user):
        user.get(load_mix.url(kind, CONFIG), kind)

    request.__name__ = kind.replace(" ", "_")
    return request


class Analyst(LoggedIn):
    wait_time = constant(0)
    tasks = {visit(kind): weight for kind, weight in load_mix.MIX.items()}

    def on_start(self):
        self.log_in(next(_analyst_sessions))


class Staff(LoggedIn):
    fixed_count = 1
    wait_time = constant_pacing(1)

    def on_start(self):
        self.log_in(CONFIG["staff_session"])

    @task
    def save(self):
        url = CONFIG["change_url"].format(pk=random.choice(CONFIG["item_pks"]))
        page = self.get(url, "staff: change form")
        if page.status_code != 200:
            return
        fields = read_form(page.text, CONFIG["change_form_id"], submit="_save")
        with self.client.post(
            url, data=urlencode(fields), name="staff: save", allow_redirects=False, catch_response=True,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": CONFIG["host"] + url},
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"{response.status_code}: {form_errors(response.text or '')[:300]}")
