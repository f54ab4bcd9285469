// Price charts of the intelligence app (R-INTEL-01), under the strict CSP: no inline script.
// - <canvas data-price-chart="URL">: fetch the JSON of a competitor product's observations the
//   viewer may see and draw them over time, one series per channel.
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
        if (!data.points.length) {
          canvas.hidden = true;
          if (empty) {
            empty.hidden = false;
          }
          return;
        }
        var series = {};
        data.points.forEach(function (point) {
          series[point.channel] = series[point.channel] || [];
          series[point.channel].push({ x: point.date, y: point.price, point: point });
        });
        var datasets = Object.keys(series).map(function (channel, index) {
          return {
            label: channel,
            data: series[channel],
            showLine: true,
            borderColor: colour(index),
            backgroundColor: colour(index),
            tension: 0,
          };
        });
        var labels = Array.from(
          new Set(
            data.points.map(function (point) {
              return point.date;
            })
          )
        ).sort();
        new Chart(canvas, {
          type: "line",
          data: { labels: labels, datasets: datasets },
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
                    var unit = point.unit ? "/" + point.unit : "";
                    return point.province + " " + point.channel + ": " + point.price + " " + point.currency + unit;
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
