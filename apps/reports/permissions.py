"""Who may do what with a report job. Seeing a job at all goes through ``report_jobs_visible_to``."""

from .models import ReportJob


def can_download_report_job(*, user, job: ReportJob) -> bool:
    """A done job's file, unless it was built under a clearance above ``user``'s current one."""
    return job.status == ReportJob.Status.DONE and bool(job.file) and not job.file_withheld_from(user)
