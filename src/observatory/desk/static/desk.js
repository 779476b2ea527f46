// The incidents map: OCHA outlines and labels from /app/boundaries.json, the filtered
// incidents from the map element's data-points URL, clustered with counts. No tiles: every
// request stays on this server.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var map = L.map(el, { zoomSnap: 0.5, minZoom: 5, maxZoom: 14, attributionControl: true });
  map.fitBounds([[32.3, 35.7], [37.3, 42.4]]);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: OCHA (CC BY-IGO)");
  var districtLabels = L.layerGroup();
  var districtLines = L.layerGroup();

  function label(layer, item, cls) {
    L.marker(item.label, { interactive: false, keyboard: false,
      icon: L.divIcon({ className: "lbl " + cls, html: item.name, iconSize: null }) }).addTo(layer);
  }
  function ringsOf(item) {
    return item.rings.map(function (ring) {
      return ring.map(function (p) { return [p[1], p[0]]; });
    });
  }
  function showDistricts() {
    var on = map.getZoom() >= 8;
    [districtLabels, districtLines].forEach(function (g) {
      if (on && !map.hasLayer(g)) g.addTo(map);
      if (!on && map.hasLayer(g)) map.removeLayer(g);
    });
  }
  fetch(el.dataset.boundaries).then(function (r) { return r.json(); }).then(function (b) {
    var governorates = L.layerGroup().addTo(map);
    b.admin2.forEach(function (d) {
      L.polygon(ringsOf(d), { color: "#8a8f96", weight: 0.6, dashArray: "3 3", fill: false,
        interactive: false }).addTo(districtLines);
      label(districtLabels, d, "lbl2");
    });
    b.admin1.forEach(function (g) {
      L.polygon(ringsOf(g), { color: "#555", weight: 1.2, fillColor: "#f2f0e6", fillOpacity: 1,
        interactive: false }).addTo(governorates);
      label(governorates, g, "lbl1");
    });
    governorates.eachLayer(function (l) { if (l.bringToBack) l.bringToBack(); });
    map.on("zoomend", showDistricts);
    showDistricts();
  });

  function size(killed) {
    return Math.round(12 + Math.min(22, 5 * Math.log10(1 + killed) * 2));
  }
  function text(s) {
    var d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
  }
  fetch(el.dataset.points).then(function (r) { return r.json(); }).then(function (data) {
    var cluster = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false,
      spiderfyOnMaxZoom: true, chunkedLoading: true });
    // Each point is [number, lat, lon, kind, killed, place, day, confidence]: kind, place
    // and confidence index lists sent once; day counts days from first_day.
    var first = data.first_day ? Date.parse(data.first_day) : 0;
    var markers = data.points.map(function (p) {
      var id = "i" + p[0], kind = data.kinds[p[3]], type = kind[0], sub = kind[1];
      var killed = p[4], place = data.places[p[5]], confidence = data.confidences[p[7]];
      var day = p[6] === null ? "" : new Date(first + p[6] * 864e5).toISOString().slice(0, 10);
      var s = size(killed);
      var name = id + ": " + sub + " at " + (place || "?") + ", " + (day || "undated") + ", " +
        killed + " killed (" + confidence + ")";
      var m = L.marker([p[1], p[2]], { title: name, alt: name, riseOnHover: true,
        icon: L.divIcon({ className: "pin", iconSize: [s, s],
          html: '<span class="pin-fill" style="display:block;width:100%;height:100%;' +
                'border-radius:50%;background:' + (data.colours[type] || "#555") + '"></span>' }) });
      m.bindPopup('<a href="/app/incidents/' + id + '"><b>' + id + "</b> " + text(sub) + "</a><br>" +
        text(place || "place not stated") + " · " + text(day || "undated") + "<br>" +
        killed + " killed · " + text(confidence));
      return m;
    });
    cluster.addLayers(markers);
    cluster.addTo(map);
    // A filtered view opens on its own incidents.
    if ("fit" in el.dataset && markers.length) {
      map.fitBounds(cluster.getBounds(), { maxZoom: 10, padding: [20, 20] });
    }
    el.dataset.markers = String(markers.length);
  });
})();
