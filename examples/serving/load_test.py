"""Serves a compiled model with Ray Serve on a local Ray instance (loopback
only), sends concurrent requests from several clients and checks every
answer against a direct run of the same sample through the dyconv package:
each answer identical, none lost. Then times the same requests through the
direct Python API (one opened model shared by the same number of threads)
and prints throughput and p50/p99 latency of both.

    load_test.py MODEL.dyc SAMPLES.npy [--requests 200] [--clients 8] [--port P]

SAMPLES.npy holds samples along its first axis (e.g. the digits test
images); request i sends sample i modulo their count. Exits non-zero when an
answer is missing or differs.
"""

import argparse
import io
import socket
import sys
import threading
import time
import urllib.request

import numpy as np
import ray
from ray import serve

import dyconv
import dyconv_serve


def run_clients(clients, count, send):
    """Calls send(i) for requests 0..count-1 from `clients` threads started
    together; returns the answers, the seconds each took and the wall time."""
    answers, latencies = [None] * count, [0.0] * count
    start = threading.Barrier(clients + 1)

    def client(first):
        start.wait()
        for i in range(first, count, clients):
            began = time.perf_counter()
            answers[i] = send(i)
            latencies[i] = time.perf_counter() - began

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return answers, latencies, time.perf_counter() - began


def summary(name, latencies, wall):
    ms = np.array(latencies) * 1e3
    return (f"{name:<28} {len(ms) / wall:9.1f} req/s   p50 {np.percentile(ms, 50):8.2f} ms"
            f"   p99 {np.percentile(ms, 99):8.2f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("samples")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="HTTP port (default: a free one)")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs Ray may use")
    args = parser.parse_args()

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    data = np.load(args.samples).astype(np.float32)
    model = dyconv.Model(args.model)
    samples = [data[i % len(data)][None] for i in range(args.requests)]
    expected = [model.run(sample) for sample in samples]
    names = [info.name for info in model.outputs]

    ray.init(address="local", num_cpus=args.cpus, include_dashboard=False,
             log_to_driver=False, configure_logging=False)
    try:
        serve.start(http_options={"host": "127.0.0.1", "port": args.port})
        serve.run(dyconv_serve.app(args.model), route_prefix="/")
        url = f"http://127.0.0.1:{args.port}/"

        def post(i):
            body = io.BytesIO()
            np.save(body, samples[i])
            request = urllib.request.Request(url, data=body.getvalue(), method="POST")
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = np.load(io.BytesIO(response.read()))
                return [answer[name] for name in names]

        post(0)  # warm-up
        answers, served, served_wall = run_clients(args.clients, args.requests, post)
    finally:
        serve.shutdown()
        ray.shutdown()

    lost = [i for i, answer in enumerate(answers) if answer is None]
    wrong = [i for i, answer in enumerate(answers) if answer is not None and not all(
        np.array_equal(got, want) for got, want in zip(answer, expected[i]))]

    _, direct, direct_wall = run_clients(args.clients, args.requests,
                                         lambda i: model.run(samples[i]))
    print(f"{args.requests} requests from {args.clients} clients, one sample each")
    print(summary("Ray Serve (HTTP, batched)", served, served_wall))
    print(summary("direct dyconv.Model", direct, direct_wall))
    print(f"answers: {args.requests - len(lost)} of {args.requests}, "
          f"{len(wrong)} differing from direct runs")
    if lost or wrong:
        print(f"FAIL: lost {lost[:10]}, differing {wrong[:10]}")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
