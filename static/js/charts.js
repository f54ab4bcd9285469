// Draw every <canvas data-chart="ID"> from the JSON in <script id="ID"> (Django's json_script).
(function () {
  var palette = ["#0d6efd", "#ffc107", "#20c997", "#6f42c1", "#dc3545", "#fd7e14", "#6c757d"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    spec.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = dataset.backgroundColor || palette[index % palette.length];
      dataset.borderColor = dataset.borderColor || palette[index % palette.length];
    });
    new Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true,
        scales: {
          x: { stacked: !!spec.stacked },
          y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  });
})();
