from django.core.exceptions import ValidationError


def add_service_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
