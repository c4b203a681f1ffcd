"""The RFC 9457 problem-details body, for the OpenAPI document."""

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    field: str = Field(examples=["body.price"])
    message: str = Field(examples=["Input should be greater than or equal to 0"])
    type: str = Field(examples=["greater_than_equal"])


class Problem(BaseModel):
    type: str = Field(default="about:blank", examples=["about:blank"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["The requested resource does not exist."])
    instance: str = Field(examples=["/api/v1/users/6b0f0c1e-6d1a-4c39-9a7e-0d0a7b1b1d1d"])
    trace_id: str | None = Field(examples=["4bf92f3577b34da6a3ce929d0e0e4736"])
    errors: list[FieldError] | None = None
    error: str | None = Field(
        default=None,
        description="On the token endpoint's problems: RFC 6749's error code.",
        examples=["invalid_client"],
    )
