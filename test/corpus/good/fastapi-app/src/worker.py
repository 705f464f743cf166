"""Inventory API: FastAPI routes served through the Workers ASGI bridge."""
import asgi
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from workers import WorkerEntrypoint

app = FastAPI(title="inventory")


class Item(BaseModel):
    sku: str = Field(pattern=r"^[A-Z0-9-]{3,32}$")
    name: str
    quantity: int = Field(default=0, ge=0)


@app.get("/items/{sku}")
async def read_item(sku: str, request: Request) -> Item:
    raw = await request.scope["env"].INVENTORY.get(sku)
    if not raw:
        raise HTTPException(status_code=404, detail=f"unknown sku {sku}")
    return Item.model_validate_json(raw)


@app.put("/items/{sku}")
async def write_item(sku: str, item: Item, request: Request) -> Item:
    if item.sku != sku:
        raise HTTPException(status_code=422, detail="sku in path and body differ")
    await request.scope["env"].INVENTORY.put(sku, item.model_dump_json())
    return item


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request.js_object, self.env)
