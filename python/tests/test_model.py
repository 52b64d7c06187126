"""The dyconv package on hand-written test artifacts (known arithmetic) and on
the compiled digits model (against dyconv-run and the PyTorch logits)."""

import concurrent.futures

import numpy as np
import pytest

import dyconv
from conftest import DIGITS

BIAS = np.array([[0.5, -1.0, 2.0], [-0.25, 0.0, 1.0]], np.float32)


@pytest.fixture
def bias_relu(test_artifact):
    with dyconv.Model(test_artifact("bias-relu")) as model:
        yield model


def expected_bias_relu(x):
    """The bias-relu plan: h = x + bias (flattened to [6N]), y = relu(h)."""
    h = x + BIAS
    return np.maximum(h, 0), h.reshape(-1)


def test_version():
    assert dyconv.__version__.count(".") == 2


def test_describes_inputs_and_outputs(bias_relu):
    assert [(i.name, i.shape) for i in bias_relu.inputs] == [("x", (None, 2, 3))]
    assert [(o.name, o.shape) for o in bias_relu.outputs] == [("y", (None, 2, 3)),
                                                              ("h", (None,))]
    assert bias_relu.outputs[1].shape_at(4) == (24,)
    assert bias_relu.fixed_batch is None
    assert "x: [N, 2, 3]" in repr(bias_relu) and "h: [6N]" in repr(bias_relu)


def test_runs_with_known_arithmetic(bias_relu):
    x = np.random.default_rng(0).standard_normal((5, 2, 3)).astype(np.float32)
    y, h = bias_relu.run(x)
    want_y, want_h = expected_bias_relu(x)
    np.testing.assert_array_equal(y, want_y)
    np.testing.assert_array_equal(h, want_h)
    assert bias_relu.batch_of(x) == 5


def test_input_forms_agree(bias_relu):
    x = np.random.default_rng(1).standard_normal((3, 2, 3))
    want = bias_relu.run(x.astype(np.float32))
    for inputs in ([x], {"x": x}, [x.tolist()], [np.asfortranarray(x)]):
        for got, expected in zip(bias_relu.run(inputs), want):
            np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(bias_relu(x), want[0])


def test_writes_into_caller_outputs(bias_relu):
    x = np.ones((2, 2, 3), np.float32)
    y, h = np.full((2, 2, 3), np.nan, np.float32), np.full(12, np.nan, np.float32)
    returned = bias_relu.run(x, outputs=[y, h])
    assert returned[0] is y and returned[1] is h
    np.testing.assert_array_equal(y, expected_bias_relu(x)[0])


def test_reads_read_only_inputs(bias_relu):
    x = np.ones((1, 2, 3), np.float32)
    x.flags.writeable = False
    np.testing.assert_array_equal(bias_relu.run(x)[0], expected_bias_relu(x)[0])


@pytest.mark.parametrize("inputs, message", [
    (np.ones((2, 3, 3), np.float32), "input 0 ('x') has shape [2, 3, 3], expected [N, 2, 3]"),
    ([], "the model takes 1 input(s), got 0"),
    ({"image": np.ones((1, 2, 3))}, "no model input named 'image' (inputs: x)"),
])
def test_bad_inputs_raise_the_runtime_message(bias_relu, inputs, message):
    with pytest.raises(dyconv.InvalidArgumentError) as raised:
        bias_relu.run(inputs)
    assert message in str(raised.value)
    assert isinstance(raised.value, dyconv.Error)


def test_bad_outputs_are_refused(bias_relu):
    x = np.ones((2, 2, 3), np.float32)
    with pytest.raises(dyconv.InvalidArgumentError, match=r"output 1 \('h'\) has shape \[6\]"):
        bias_relu.run(x, outputs=[np.empty((2, 2, 3), np.float32), np.empty(6, np.float32)])
    with pytest.raises(dyconv.InvalidArgumentError, match="output 0 must be a writable float32"):
        bias_relu.run(x, outputs=[np.empty((2, 2, 3)), np.empty(12, np.float32)])


def test_fixed_batch(test_artifact):
    model = dyconv.Model(test_artifact("fixed-batch"))
    assert model.fixed_batch == 2
    with pytest.raises(dyconv.InvalidArgumentError, match="compiled for batch 2, got batch 3"):
        model.run(np.ones((3, 2, 3), np.float32))


def test_two_inputs_by_name(test_artifact):
    model = dyconv.Model(test_artifact("two-inputs"))
    x, z = np.arange(8, dtype=np.float32).reshape(2, 4), -np.ones((2, 4), np.float32)
    (y,) = model.run({"z": z, "x": x})
    np.testing.assert_array_equal(y, np.maximum(x + z, 0))
    with pytest.raises(dyconv.InvalidArgumentError, match="missing input 'z'"):
        model.run({"x": x})
    with pytest.raises(dyconv.InvalidArgumentError, match="has batch 3, but input 0"):
        model.run([x, np.ones((3, 4), np.float32)])


def test_kernel_failure_is_a_kernel_error(test_artifact):
    model = dyconv.Model(test_artifact("failing"))
    with pytest.raises(dyconv.KernelError, match="test_fail: deliberate failure"):
        model.run(np.ones((1, 2), np.float32))


def test_threads(test_artifact):
    model = dyconv.Model(test_artifact("threads"), num_threads=3)
    assert model.num_threads == 3
    np.testing.assert_array_equal(model.run(np.ones((2, 1), np.float32))[0], [[3], [3]])
    with pytest.raises(dyconv.InvalidArgumentError, match="must be >= 0, got -1"):
        model.num_threads = -1


def test_open_failures_name_the_file(tmp_path):
    with pytest.raises(dyconv.InvalidArgumentError, match="missing.dyc: cannot open"):
        dyconv.Model(tmp_path / "missing.dyc")
    not_a_model = tmp_path / "model.onnx"
    not_a_model.write_bytes(b"\x08\x07" + bytes(100))
    with pytest.raises(dyconv.InvalidArgumentError, match="model.onnx"):
        dyconv.Model(not_a_model)


def test_closed_model_refuses_calls(test_artifact):
    model = dyconv.Model(test_artifact("bias-relu"))
    model.close()
    with pytest.raises(dyconv.InvalidArgumentError, match="the model is closed"):
        model.run(np.ones((1, 2, 3), np.float32))


def test_profiling_times_every_step(bias_relu):
    bias_relu.set_profiling(True)
    for _ in range(3):
        bias_relu.run(np.ones((64, 2, 3), np.float32))
    steps = bias_relu.step_times()
    assert [step.kernel for step in steps] == ["test_add_bias_argv", "test_relu3_argv"]
    assert all(step.seconds > 0 for step in steps)
    bias_relu.set_profiling(False)
    assert all(step.seconds == 0 for step in bias_relu.step_times())


def test_digits_matches_dyconv_run_and_pytorch(digits_model, run_tool, tmp_path):
    x = np.load(DIGITS / "test_x.npy")
    model = dyconv.Model(digits_model)
    (logits,) = model.run(x)
    run_tool("dyconv-run", digits_model, "--input", DIGITS / "test_x.npy",
             "--output", tmp_path / "logits.npy")
    np.testing.assert_array_equal(logits, np.load(tmp_path / "logits.npy"))
    reference = np.load(DIGITS / "test_logits.npy")
    np.testing.assert_allclose(logits, reference, rtol=1e-4, atol=1e-4 * np.abs(reference).max())
    accuracy = (logits.argmax(1) == np.load(DIGITS / "test_y.npy")).mean()
    assert accuracy == pytest.approx(433 / 450)


def test_threads_share_one_model(digits_model):
    """8 threads, 1000 runs of one opened model at batches 1-7: every output is
    bit-identical to the single-threaded run of the same samples."""
    x = np.load(DIGITS / "test_x.npy")
    model = dyconv.Model(digits_model, num_threads=1)
    jobs = [((3 * n) % (len(x) - 7), 1 + n % 7) for n in range(1000)]
    expected = [model.run(x[start:start + batch])[0] for start, batch in jobs]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda job: model.run(x[job[0]:job[0] + job[1]])[0], jobs))
    assert len(got) == 1000
    for want, result in zip(expected, got):
        np.testing.assert_array_equal(result, want)
