"""Thumbnail jobs: POST enqueues a job, the queue consumer records it in KV.

With the vendored SDK the queue batch is wrapped, so message.body is already a
Python dict, and dicts sent to the producer binding are converted for us.
"""
import json
import uuid
from datetime import datetime, timezone

from workers import Response, WorkerEntrypoint

DEFAULT_SIZES = [128, 512]


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        if request.method != "POST":
            return Response('POST {"key": "...", "sizes": [...]}', status=405)

        payload = await request.json()
        job = {
            "job_id": str(uuid.uuid4()),
            "key": payload["key"],
            "sizes": payload.get("sizes", DEFAULT_SIZES),
        }
        await self.env.THUMBNAILS.send(job)
        return Response.json({"queued": job["job_id"]}, status=202)

    async def queue(self, batch, env, ctx):
        for message in batch.messages:
            job_id = message.body["job_id"]
            record = {
                "key": message.body["key"],
                "sizes": message.body["sizes"],
                "attempts": message.attempts,
                "finished_at": datetime.now(timezone.utc).isoformat(),
            }
            await self.env.JOB_LOG.put(f"job:{job_id}", json.dumps(record))
            message.ack()
