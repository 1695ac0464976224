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
    `Data directory:     ${info.dataDir}`,
    `Version:            ${info.version}`,
  ];
}

/** What `join-token worker` prints: the command an agent host runs, as `docker swarm join-token` does. */
export function joinTokenLines(token: { token: string; addr: string }): string[] {
  return [
    'To add a worker to this cluster, run the following command:',
    '',
    `    shoal agent --join ${token.addr} --token ${token.token} --advertise <ADDR> --data-dir <DIR>`,
    '',
  ];
}
