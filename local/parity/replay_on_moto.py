"""Replays recorded runs of a state machine on moto's port of LocalStack's Step Functions interpreter.

Reads from stdin: {"definition": {...}, "stateMachineName": str, "stories": [{"name", "input",
"tasks": [{"state", "outcome": {"result": ...} | {"error", "cause"}}]}]}. Writes to stdout: {"moto": version,
"stateMachineArn": str, "runs": [{"story", "status", "error", "cause", "statesEntered", "tasks": [{"state",
"input"}], "errors": [{"state", "error", "cause"}]}]}: the states entered, each task's input (TaskScheduled's
parameters, LambdaFunctionScheduled's input) and the errors raised in states, as the execution history has them.

Every Task's result comes from the recording, in the order the local engine's handler produced them for that
state. moto 5.2.1 keeps the interpreter's mocked mode (Environment.mock_test_case: a state in the test case
takes its result from it instead of calling the service) but not the way in: the SFN_MOCK_CONFIG loader
(mocking/mock_config.load_mock_test_case_for) returns None unconditionally and its backend's Execution never hands
a test case to its ExecutionWorker. So this script builds the test case with moto's own classes and gives it to
the worker of the executions it starts (ReplayedExecution below). Everything else - parsing, paths, intrinsics,
Choice, Retry, Catch, ResultPath, the history - is moto's.
"""

import json
import os
import sys
import threading
import time

# Before moto is imported: the account of the synthesized definition's placeholder ARNs.
os.environ["MOTO_ACCOUNT_ID"] = "000000000000"
os.environ.setdefault("AWS_ACCESS_KEY_ID", "parity")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "parity")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
import moto  # noqa: E402
import moto.stepfunctions.parser.models as parser_models  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.stepfunctions.parser.backend.execution import Execution  # noqa: E402
from moto.stepfunctions.parser.mocking.mock_config import (  # noqa: E402
    MockedResponseReturn,
    MockedResponseThrow,
    MockTestCase,
)

# moto accepts only real regions (the definition's placeholder region is "local"), so $$.StateMachine.Id differs
# from the local engine's in the region; the comparison normalizes it.
REGION = "us-east-1"
POLL_SECONDS = 0.01
RUN_TIMEOUT_SECONDS = 60
SCHEDULING_GRACE_SECONDS = 5
# How long a recorded timeout keeps its task from answering: past any timeout the stories give a task.
NO_ANSWER_SECONDS = 2 * RUN_TIMEOUT_SECONDS


class TimesOut:
    """A task the recording saw time out (States.Timeout). moto refuses a mocked error named States.* ("Custom
    Error Names MUST NOT begin with the prefix 'States.'"), and a timeout is not an answer anyway: the task gives
    none, and the interpreter times it out on the state's TimeoutSeconds/TimeoutSecondsPath as it would in AWS."""

    def __init__(self, state_name):
        self.state_name = state_name
        # Set once the task asked for its answer, which is after its TaskScheduled event is in the history.
        self.asked = threading.Event()

    def wait(self):
        self.asked.set()
        threading.Event().wait(NO_ANSWER_SECONDS)
        raise RuntimeError(f"state '{self.state_name}' was recorded timing out, but moto did not time it out")


class RecordedResults:
    """A state's recorded results, handed out in the order they were recorded.

    moto indexes a state's mocked responses by $$.State.RetryCount, which starts again at 0 each time the state is
    entered: a state entered several times (AdvanceLoan, once a step) would get the same response each time. The
    recording is a sequence of calls, retries included, so this hands out the next one whatever index is asked.
    """

    def __init__(self, state_name, responses):
        self.state_name = state_name
        self.responses = responses
        self.played = 0

    def __len__(self):
        # Never "too short" for moto's bounds check; __getitem__ says when the recording runs out.
        return sys.maxsize

    def __getitem__(self, _retry_count):
        if self.played >= len(self.responses):
            raise RuntimeError(f"no recorded result left for state '{self.state_name}' (call {self.played + 1})")
        response = self.responses[self.played]
        self.played += 1
        if isinstance(response, TimesOut):
            response.wait()
        return response


class RecordedState:
    """What moto's Environment reads of a state in a test case: its mocked_responses."""

    def __init__(self, state_name, responses):
        self.mocked_responses = RecordedResults(state_name, responses)


def mocked_response(name, state, outcome):
    """A recorded outcome as moto's mocked response of that Task state."""
    if outcome.get("error") == "States.Timeout":
        return TimesOut(name)
    if "error" in outcome:
        return MockedResponseThrow(range_start=0, range_end=0, error=outcome["error"], cause=outcome.get("cause") or "")
    result = outcome["result"]
    if state.get("Resource", "").startswith("arn:aws:lambda:"):
        # A Lambda ARN as Resource: the interpreter invokes the function and keeps the Payload of Invoke's response.
        result = {"StatusCode": 200, "Payload": result}
    return MockedResponseReturn(range_start=0, range_end=0, payload=result)


def test_case_for(story, definition, state_machine_name):
    states = definition["States"]
    by_state = {name: [] for name, state in states.items() if state.get("Type") == "Task"}
    for call in story["tasks"]:
        if call["state"] not in by_state:
            raise ValueError(f"story {story['name']}: recorded a result for '{call['state']}', which is not a Task state")
        by_state[call["state"]].append(mocked_response(call["state"], states[call["state"]], call["outcome"]))
    case = MockTestCase(state_machine_name=state_machine_name, test_case_name=story["name"], state_mocked_responses_list=[])
    # Every Task state is in the test case, recorded or not: an unrecorded call fails visibly instead of reaching
    # for a service that is not there.
    case.state_mocked_responses.update({name: RecordedState(name, responses) for name, responses in by_state.items()})
    return case


TEST_CASES = {}


class ReplayedExecution(Execution):
    """moto's Execution, with the recorded results of the story it is named after."""

    def _get_start_execution_worker(self):
        worker = super()._get_start_execution_worker()
        worker._mock_test_case = TEST_CASES.get(self.name)
        return worker

    def __deepcopy__(self, memo):
        # moto's start_execution deep-copies the state machine, with its list of executions; one that has started
        # holds thread locks, which cannot be copied ("cannot pickle '_thread.RLock' object"), so a machine's second
        # execution fails in moto 5.2.1. The copy only needs the definition: it shares the execution records.
        return self


def history_of(client, execution_arn):
    events = []
    kwargs = {"executionArn": execution_arn, "maxResults": 1000}
    while True:
        page = client.get_execution_history(**kwargs)
        events.extend(page["events"])
        if not page.get("nextToken"):
            return events
        kwargs["nextToken"] = page["nextToken"]


def entered_event_of(event, by_id):
    """The StateEntered event of the state an event belongs to, up its chain of previousEventId (None: no state's)."""
    while event is not None and not event["type"].endswith("StateEntered"):
        event = by_id.get(event["previousEventId"])
    return event


def in_order(keyed):
    """The items of (key, item) pairs, by key: (id of the StateEntered event, id of the event)."""
    return [item for _, item in sorted(keyed, key=lambda pair: pair[0])]


def run_of(story_name, description, events):
    states_entered = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
    by_id = {event["id"]: event for event in events}
    calls = []
    errors = []
    for event in events:
        kind = event["type"]
        # A task runs in a thread of its own, timed by the state's thread: a task slow to start can be scheduled after
        # its state timed it out and the next state was entered. The event chain says which state it belongs to.
        entered = entered_event_of(event, by_id)
        if entered is None:
            continue
        key = (entered["id"], event["id"])
        state = entered["stateEnteredEventDetails"]["name"]
        if kind == "TaskScheduled":
            calls.append((key, {"state": state, "input": json.loads(event["taskScheduledEventDetails"]["parameters"])}))
        elif kind == "LambdaFunctionScheduled":
            calls.append((key, {"state": state, "input": json.loads(event["lambdaFunctionScheduledEventDetails"]["input"])}))
        elif kind.endswith(("Failed", "TimedOut")) and not kind.startswith("Execution"):
            details = next(value for name, value in event.items() if name.endswith("EventDetails"))
            errors.append((key, {"state": state, "error": details.get("error", ""), "cause": details.get("cause", "")}))
    return {
        "story": story_name,
        "status": description["status"],
        "error": description.get("error"),
        "cause": description.get("cause"),
        "statesEntered": states_entered,
        "tasks": in_order(calls),
        "errors": in_order(errors),
    }


def main():
    request = json.load(sys.stdin)
    definition = request["definition"]
    name = request["stateMachineName"]
    for story in request["stories"]:
        TEST_CASES[story["name"]] = test_case_for(story, definition, name)

    parser_models.Execution = ReplayedExecution
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        client = boto3.client("stepfunctions", region_name=REGION)
        machine = client.create_state_machine(
            name=name, definition=json.dumps(definition), roleArn="arn:aws:iam::000000000000:role/parity"
        )
        arn = machine["stateMachineArn"]
        started = {
            story["name"]: client.start_execution(stateMachineArn=arn, name=story["name"], input=json.dumps(story["input"]))["executionArn"]
            for story in request["stories"]
        }
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        runs = []
        for story_name, execution_arn in started.items():
            description = client.describe_execution(executionArn=execution_arn)
            while description["status"] == "RUNNING":
                if time.monotonic() > deadline:
                    client.stop_execution(executionArn=execution_arn, error="Parity.Timeout", cause="still running on moto")
                    description = client.describe_execution(executionArn=execution_arn)
                    break
                time.sleep(POLL_SECONDS)
                description = client.describe_execution(executionArn=execution_arn)
            # A timed-out task may not be scheduled yet when its execution ends (see run_of). A recorded timeout moto
            # never reaches (its run went another way) costs the grace once.
            grace_ends = time.monotonic() + SCHEDULING_GRACE_SECONDS
            for recorded in TEST_CASES[story_name].state_mocked_responses.values():
                for response in recorded.mocked_responses.responses:
                    if isinstance(response, TimesOut):
                        response.asked.wait(max(0.0, grace_ends - time.monotonic()))
            runs.append(run_of(story_name, description, history_of(client, execution_arn)))
    json.dump({"moto": moto.__version__, "stateMachineArn": arn, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()
