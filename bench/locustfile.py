"""Locust users for `make load`: a mix of reads and writes against one product.

Every feature creation the server acknowledges (201) is appended to the file named by
LOAD_ACK_FILE, so bench/load.sh can check afterwards that no acknowledged write was lost.
A connection dropped by a killed worker is retried once and counted apart, so the report shows
both what the server refused and what the network lost.
"""

from __future__ import annotations

import os
import random
import threading
from typing import Any

from locust import HttpUser, between, events, task

TOKEN = os.environ["LOAD_TOKEN"]
PRODUCT = int(os.environ["LOAD_PRODUCT"])
ACK_FILE = os.environ.get("LOAD_ACK_FILE", "bench/results/tmp/acknowledged.txt")
_lock = threading.Lock()
RETRIED = {"count": 0}


def acknowledge(feature_id: int) -> None:
    with _lock, open(ACK_FILE, "a") as out:
        out.write(f"{feature_id}\n")


class ProductManager(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {TOKEN}"
        self.feature_ids: list[int] = []

    def send(self, method: str, url: str, name: str, **kwargs: Any) -> Any:
        for attempt in range(2):
            with self.client.request(
                method, url, name=name, catch_response=True, **kwargs
            ) as response:
                if response.status_code == 0 and attempt == 0:
                    # The worker died under us: the connection dropped with no answer.
                    RETRIED["count"] += 1
                    response.success()
                    continue
                if response.status_code >= 400:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
                return response
        return None

    @task(5)
    def list_features(self) -> None:
        self.send("GET", f"/api/v1/products/{PRODUCT}/features?limit=50", "list features")

    @task(3)
    def backlog(self) -> None:
        self.send(
            "GET", f"/api/v1/products/{PRODUCT}/backlog?framework=rice&limit=50", "ranked backlog"
        )

    @task(3)
    def read_feature(self) -> None:
        if self.feature_ids:
            self.send(
                "GET", f"/api/v1/features/{random.choice(self.feature_ids)}", "feature detail"
            )

    @task(2)
    def create_feature(self) -> None:
        response = self.send(
            "POST",
            f"/api/v1/products/{PRODUCT}/features",
            "create feature",
            json={"title": f"Load feature {random.randint(0, 10**9)}", "kind": "enhancement"},
        )
        if response is not None and response.status_code == 201:
            feature_id = response.json()["id"]
            self.feature_ids.append(feature_id)
            acknowledge(feature_id)

    @task(1)
    def update_feature(self) -> None:
        if self.feature_ids:
            self.send(
                "PATCH",
                f"/api/v1/features/{random.choice(self.feature_ids)}",
                "update feature",
                json={"description": f"edited {random.randint(0, 10**6)}"},
            )


@events.quitting.add_listener
def report_retries(environment: Any, **_: Any) -> None:
    print(f"connections dropped and retried: {RETRIED['count']}")
    with open(os.path.join(os.path.dirname(ACK_FILE), "retried.txt"), "w") as out:
        out.write(f"{RETRIED['count']}\n")
