import { formatDuration, type Info } from '@shoal/api';

/** `shoal info` as text. */
export function infoLines(info: Info): string[] {
  return [
    `Cluster ID:         ${info.clusterId}`,
    `Node ID:            ${info.nodeId}`,
    `Manager address:    ${info.addr}`,
    `Is leader:          ${info.isLeader ? 'yes' : 'no'}`,
    `Leader address:     ${info.leaderAddr}`,
    `Nodes:              ${info.nodes}`,
    `Services:           ${info.services}`,
    `Tasks:              ${info.tasks}`,
    `Heartbeat period:   ${formatDuration(info.heartbeatPeriodMs)}`,
    `Raft:               tick ${formatDuration(info.raft.tickMs)}, heartbeat ${info.raft.heartbeatTicks} tick(s), election ${info.raft.electionTicks} ticks`,
    `Data directory:     ${info.dataDir}`,
    `Version:            ${info.version}`,
    `Managers:           ${info.managers.length}`,
    ...info.managers.map((m) => `  ${m.nodeId}  ${m.addr}  ${m.leader ? 'Leader' : m.reachability === 'reachable' ? 'Reachable' : 'Unreachable'}`),
  ];
}

/** What `join-token` prints: the command the new host runs, as `docker swarm join-token` does. */
export function joinTokenLines(role: 'worker' | 'manager', token: { token: string; addr: string }): string[] {
  const command = role === 'worker'
    ? `shoal agent --join ${token.addr} --token ${token.token} --advertise <ADDR> --data-dir <DIR>`
    : `shoal manager --join ${token.addr} --token ${token.token} --listen <ADDR:PORT> --data-dir <DIR>`;
  return [`To add a ${role} to this cluster, run the following command:`, '', `    ${command}`, ''];
}
