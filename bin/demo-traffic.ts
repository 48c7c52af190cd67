import { randomUUID } from 'node:crypto';

/** Sends `count` Open Inference Protocol requests to the example model through the sidecar; returns their request ids. */
export async function sendDemoTraffic(sidecarUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `demo-${randomUUID()}`;
    const body = {
      inputs: [
        { name: 'age', shape: [1], datatype: 'FP64', data: [25 + (i % 40)] },
        { name: 'income', shape: [1], datatype: 'FP64', data: [1 + (i % 7) * 0.5] },
        { name: 'tenure_months', shape: [1], datatype: 'INT64', data: [i % 60] },
      ],
    };
    const res = await fetch(`${sidecarUrl}/v2/models/example/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`demo request ${id} failed with HTTP ${res.status}`);
    ids.push(id);
  }
  return ids;
}
