"""Onboarding: create the profile, wait a day, then store a first tip for the user."""
import json
import random
from urllib.parse import parse_qs, urlparse

from js import Object
from pyodide.ffi import to_js
from workers import Response, WorkerEntrypoint, WorkflowEntrypoint

TIPS = [
    "Pin the projects you use most to the sidebar.",
    "Press ? anywhere to see keyboard shortcuts.",
    "Invite a teammate from Settings > Members.",
]


class OnboardingWorkflow(WorkflowEntrypoint):
    async def run(self, event, step):
        email = event["payload"]["email"]

        @step.do("create profile")
        async def create_profile():
            await self.env.USERS.put(f"user:{email}", json.dumps({"email": email, "tips": []}))
            return email

        await create_profile()
        await step.sleep("give them a day", "1 day")

        @step.do("store first tip")
        async def store_tip():
            tip = random.choice(TIPS)
            profile = {"email": email, "tips": [tip]}
            await self.env.USERS.put(f"user:{email}", json.dumps(profile))
            return tip

        return await store_tip()


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        email = parse_qs(urlparse(request.url).query).get("email", [""])[0]
        if "@" not in email:
            return Response("pass ?email=someone@example.com", status=400)
        options = to_js({"params": {"email": email}}, dict_converter=Object.fromEntries)
        instance = await self.env.ONBOARDING.create(options)
        return Response.json({"workflow": instance.id}, status=202)
