"""The end-to-end harness, in parts:

- network.py: the Mininet network on Open vSwitch (userspace datapath), its management port, the XDP
  fast path on the switch's ports, and the cleanup of what an interrupted run left;
- controllers.py: the controller a scenario runs (standalone, or ONOS with the app) and its REST API client;
- front_ends.py: what runs on each node (nginx with the node's content; the node agent or HAProxy on port 80);
- processes.py: starting and stopping those programs by the handles the harness holds, and a ledger of
  their PIDs so that the next run ends what an interrupted one left, and nothing else;
- waiting.py: waiting for a condition, with a clear failure.

scenario.Scenario puts them together for the tests, the demo and the benchmarks.
"""
