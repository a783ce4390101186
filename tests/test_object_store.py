"""Every rule of the tiny project on a real S3 object store, SeaweedFS's S3 gateway on 127.0.0.1
(requirements-s3.txt), as on a cloud executor: every file in the store and nothing shared but
what Snakemake hands a job (--shared-fs-usage none); and a lab store of trained runs
(--cache, SNAKEMAKE_OUTPUT_CACHE) in the same object store, which two projects share."""

import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest

from conftest import installed_apart, tiny_project

BUCKET = "convlab"
SHORT = "results/runs/deep_n100_w0.0001_e1_s0"
LONG = "results/runs/deep_n100_w0.0001_e2_s0"
DEEP = "results/fig_deep_n100_e2.png"


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1, each with its gRPC twin 10000 above free too (SeaweedFS)."""
    ports = []
    while len(ports) < count:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10000 < 65536 and port not in ports:
            with socket.socket() as twin:
                try:
                    twin.bind(("127.0.0.1", port + 10000))
                except OSError:
                    continue
            ports.append(port)
    return ports


@dataclass
class Store:
    client: object  # boto3's S3 client
    options: tuple  # what a project's snakemake needs to reach it, but its prefix

    def text(self, key: str) -> str:
        return self.client.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()

    def keys(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("s3-plugin")
    with installed_apart("requirements-s3.txt", folder):
        sys.path.insert(0, str(folder))
        import boto3

        s3, master, volume, filer = free_ports(4)
        data = tmp_path_factory.mktemp("seaweedfs")
        command = [str(folder / "bin" / "weed"), "server", f"-dir={data}", "-ip=127.0.0.1"]
        command += ["-ip.bind=127.0.0.1", "-s3", f"-s3.port={s3}", "-s3.port.iceberg=0"]
        command += ["-s3.port.lance=0", f"-master.port={master}", f"-volume.port={volume}"]
        command += [f"-filer.port={filer}"]
        with open(data / "weed.log", "w") as log:
            server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        endpoint = f"http://127.0.0.1:{s3}"
        keys = {"aws_access_key_id": "any", "aws_secret_access_key": "any"}
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **keys)
        deadline = time.time() + 90
        while True:
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:
                assert server.poll() is None, (data / "weed.log").read_text()[-2000:]
                assert time.time() < deadline, (data / "weed.log").read_text()[-2000:]
                time.sleep(1)
        options = ("--default-storage-provider", "s3", "--storage-s3-endpoint-url", endpoint)
        options += ("--storage-s3-access-key", "any", "--storage-s3-secret-key", "any")
        options += ("--shared-fs-usage", "none")
        try:
            yield Store(client, options)
        finally:
            server.kill()  # a store of this test alone: SeaweedFS takes 25 s to stop cleanly
            server.wait(timeout=60)
            sys.path.remove(str(folder))


EPOCH = re.compile(r"^\d\d:\d\d:\d\d  epoch ", re.MULTILINE)  # a log's line for an epoch trained


def trained(store: Store, prefix: str) -> set[str]:
    """The runs of a project that trained an epoch, by their logs in the store."""
    logs = [key for key in store.keys(f"{prefix}/results/runs/") if key.endswith("/train.log")]
    return {log.split("/")[-2] for log in logs if EPOCH.search(store.text(log))}


def every_rule_once(project) -> list[str]:
    """An output of each rule's first job in the default target's plan but the looks' (the
    claims ask for them): targets that run every rule, each from what Snakemake hands it, in
    fewer jobs than the whole project (the copies of one rule read the same kinds of file)."""
    printed = project.snakemake("-n").stdout
    firsts = {}
    for rule, output in re.findall(
        r"^rule (\w+):\n(?:    .*\n)*?    output: ([^,\n]+)", printed, re.M
    ):
        firsts.setdefault(rule, output)
    return [DEEP, *firsts.values()]


def test_every_rule_on_s3_and_a_lab_store_two_projects_share(store, tmp_path):
    cache = {"SNAKEMAKE_OUTPUT_CACHE": f"s3://{BUCKET}/store"}
    first = tiny_project(tmp_path / "first")
    options = (*store.options, "--default-storage-prefix", f"s3://{BUCKET}/first")
    targets = every_rule_once(first)
    first.snakemake(*targets, "--cache", *options, env=cache)
    assert {f"first/{DEEP}", "first/results/claims.md"} <= set(store.keys("first/results/"))
    # The project's folder keeps only what this host's plan reads (the claims' looks) and the
    # trainings' states saved at their epochs' ends.
    assert sorted(p.name for p in first.path("results").iterdir()) == ["checkpoints", "claims"]
    assert {SHORT.split("/")[-1], LONG.split("/")[-1]} <= trained(store, "first")
    # The 2-epoch run continued from the 1-epoch one, whose state the job was handed.
    log = store.text(f"first/{LONG}/train.log")
    assert re.search(rf"resuming from epoch 1 of \S+/first/{SHORT}/state\.npz", log), log
    assert first.planned_jobs(*targets, options=options) == {}
    # A lost object is rebuilt from the state kept on this host, without training.
    store.client.delete_object(Bucket=BUCKET, Key=f"first/{SHORT}/metrics.json")
    first.snakemake(f"{SHORT}/metrics.json", *options)
    log = store.text(f"first/{SHORT}/train.log")
    assert "finished in results/checkpoints/" in log and not EPOCH.search(log), log

    # Another project, another prefix, the same lab store: nothing trains again.
    second = tiny_project(tmp_path / "second")
    options = (*store.options, "--default-storage-prefix", f"s3://{BUCKET}/second")
    second.snakemake(DEEP, "--cache", *options, env=cache)
    assert {f"second/{DEEP}", f"second/{LONG}/metrics.json"} <= set(store.keys("second/"))
    assert trained(store, "second") == set()  # fetched from the store, nothing trained
