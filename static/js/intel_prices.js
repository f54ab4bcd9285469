// Price charts of the intelligence app (R-INTEL-01), under the strict CSP: no inline script.
// - <canvas data-price-chart="URL">: fetch the monthly summary of a competitor product's prices the
//   viewer may see (count, lowest, median, highest per month and channel, aggregated by the
//   database) and draw the medians over time, one line per channel.
// - <canvas data-price-compare="ID">: a grouped bar chart from the JSON in <script id="ID">
//   (Django's json_script): the median price of each product per province.
// Chart.js is loaded from the vendored copy next to this file when the page has not loaded it.
(function () {
  var palette = ["#0d6efd", "#dc3545", "#20c997", "#6f42c1", "#fd7e14", "#ffc107", "#6c757d"];
  var script = document.currentScript;

  function withChart(callback) {
    if (typeof Chart !== "undefined") {
      callback();
      return;
    }
    var loader = document.createElement("script");
    loader.src = script.src.replace(/js\/intel_prices\.js.*$/, "vendor/chartjs/chart.umd.min.js");
    loader.addEventListener("load", callback);
    document.head.appendChild(loader);
  }

  function colour(index) {
    return palette[index % palette.length];
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function drawHistory(canvas) {
    fetch(canvas.getAttribute("data-price-chart"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var empty = canvas.parentElement.querySelector("[data-price-chart-empty]");
        if (!data.series.length) {
          canvas.hidden = true;
          if (empty) {
            empty.hidden = false;
          }
          return;
        }
        // One line per series: the median of each month; the month's count, lowest and highest
        // price are in its tooltip. A month without prices in a series is a gap the line spans.
        var datasets = data.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.points.map(function (point) {
              return { x: point.month, y: point.median, point: point, series: series };
            }),
            showLine: true,
            borderColor: colour(index),
            backgroundColor: colour(index),
            tension: 0,
          };
        });
        new Chart(canvas, {
          type: "line",
          data: { labels: data.months, datasets: datasets },
          options: {
            responsive: true,
            spanGaps: true,
            parsing: { xAxisKey: "x", yAxisKey: "y" },
            scales: { x: { type: "category" }, y: { beginAtZero: false, title: { display: true, text: data.label } } },
            plugins: {
              tooltip: {
                callbacks: {
                  label: function (context) {
                    var point = context.raw.point;
                    var series = context.raw.series;
                    var unit = series.unit ? "/" + series.unit : "";
                    return fill(data.tooltip, {
                      series: series.label,
                      median: point.median + " " + series.currency + unit,
                      low: point.low,
                      high: point.high,
                      count: point.count,
                    });
                  },
                },
              },
            },
          },
        });
      })
      .catch(function () {
        canvas.hidden = true;
      });
  }

  function drawCompare(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-price-compare"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    spec.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = colour(index);
      dataset.borderColor = colour(index);
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: { responsive: true, scales: { y: { beginAtZero: true } } },
    });
  }

  function start() {
    var history = document.querySelectorAll("canvas[data-price-chart]");
    var compare = document.querySelectorAll("canvas[data-price-compare]");
    if (!history.length && !compare.length) {
      return;
    }
    withChart(function () {
      history.forEach(drawHistory);
      compare.forEach(drawCompare);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
