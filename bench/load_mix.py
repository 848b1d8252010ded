"""The analysts' mix of the load test, in one home: what each kind of request asks for and how often.

Used by the locust users (bench/paths/load_users.py) and by the per-page CPU measurement
(bench/paths/load_cpu.py), so both measure the same pages. No Django, no locust: ``config`` is the
JSON the bench writes (refs, filter values, pages; bench/paths/load.py ``sample_values``)."""

import random
from urllib.parse import urlencode

# kind (the request's name in the records) -> weight (locust task weight)
MIX = {
    "list": 2,
    "list filtered": 4,
    "list search": 1,
    "list page": 1,
    "item": 4,
    "item as_of": 1,
    "dashboard": 2,
    "export": 1,
}
ORDERINGS = ("target", "-target", "status", "title")


def filters(config, rng):
    """Random list filters: each filter kept with probability 1/2 (at least a working group)."""
    choices = config["filters"]
    params = {key: rng.choice(values) for key, values in choices.items() if rng.random() < 0.5}
    params = params or {"working_group": rng.choice(choices["working_group"])}
    if rng.random() < 0.3:
        params["ordering"] = rng.choice(ORDERINGS)
    return params


def url(kind, config, rng=random):
    """The address of one request of ``kind``."""
    if kind == "list":
        return "/irritants/"
    if kind == "list filtered":
        return "/irritants/?" + urlencode(filters(config, rng))
    if kind == "list search":
        return "/irritants/?" + urlencode({"q": rng.choice(config["searches"])})
    if kind == "list page":
        return f"/irritants/?page={rng.randint(2, config['pages'])}"
    if kind == "item":
        return f"/irritants/{rng.choice(config['refs'])}/"
    if kind == "item as_of":
        return f"/irritants/{rng.choice(config['refs'])}/?as_of={config['as_of']}"
    if kind == "dashboard":
        return "/dashboard/"
    if kind == "export":
        params = {"working_group": rng.choice(config["filters"]["working_group"])}
        if rng.random() < 0.5:
            params["country"] = rng.choice(config["filters"]["country"])
        return "/irritants/export.csv?" + urlencode(params)
    raise ValueError(f"unknown kind of request: {kind!r}")
