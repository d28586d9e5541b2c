// English texts. This file defines the set of keys: ro.ts and hu.ts must have
// exactly the same keys and the same {placeholders} (checked by the type
// checker and by test/i18n.test.ts).
export const en = {
  'app.name': 'semnal',
  'app.tagline': 'Problems in the city, reported and followed',
  'app.skip': 'Skip to content',

  'lang.label': 'Language',

  'nav.map': 'Map',
  'nav.follow': 'Follow a report',

  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.close': 'Close',
  'common.networkError': 'We could not reach the server. Check your connection and try again.',

  'map.label': 'Map of reported problems',
  'map.unavailable':
    'The map cannot be shown on this device. You can still report a problem and follow it by its tracking number.',
  'map.report': 'Report a problem',
  'map.legend': 'Colours',
  'map.legendNote': 'Closed and rejected reports are not shown.',

  'sheet.title': 'Report {tn}',
  'sheet.reported': 'Reported {age}',
  'sheet.follow': 'Follow this report',

  'age.today': 'today',
  'age.yesterday': 'yesterday',
  'age.days': '{n} days ago',

  'status.new': 'Received',
  'status.acknowledged': 'Accepted',
  'status.assigned': 'Assigned',
  'status.in_progress': 'In progress',
  'status.resolved': 'Resolved',
  'status.closed': 'Closed',
  'status.rejected': 'Not accepted',
  'status.duplicate': 'Duplicate',
  'status.referred': 'Passed on',
  'status.reopened': 'Reopened',

  'statusHelp.new':
    'We have received the report. The city hall’s dispatch office will check it and send it to the department in charge.',
  'statusHelp.acknowledged': 'The city hall has checked the report and accepted it. It will soon be given to a team.',
  'statusHelp.assigned': 'The report is with the department in charge, which is planning the work.',
  'statusHelp.in_progress': 'A team is working on the problem.',
  'statusHelp.resolved': 'The department says the problem has been fixed.',
  'statusHelp.closed': 'The report is closed. Thank you for helping your city.',
  'statusHelp.rejected':
    'The report was not accepted, for example because the problem is not the city hall’s responsibility. The history below may give the reason.',
  'statusHelp.duplicate': 'The same problem had already been reported; it is followed in that other report.',
  'statusHelp.referred': 'Another institution is responsible for this problem, and the report has been passed on to it.',
  'statusHelp.reopened': 'The problem was reported as not fixed, so the report has been reopened.',

  'report.title': 'Report a problem',
  'report.back': 'Back to the map',
  'report.intro': 'No account needed. A photo and a category are enough.',

  'report.photo.title': 'Photo',
  'report.photo.take': 'Take a photo',
  'report.photo.choose': 'Choose a photo',
  'report.photo.add': 'Add another photo',
  'report.photo.remove': 'Remove photo {n}',
  'report.photo.alt': 'Photo {n} of the problem',
  'report.photo.hint': 'A photo helps the city find and fix the problem. If it has a GPS position, the pin is placed for you.',
  'report.photo.max': 'You can add at most {max} photos.',

  'report.location.title': 'Where is it?',
  'report.location.hint': 'Tap the map to place the pin, or drag the map to adjust it.',
  'report.location.mapLabel': 'Map for choosing the place of the problem',
  'report.location.useMine': 'Use my location',
  'report.location.locating': 'Finding your location…',
  'report.location.denied': 'We could not get your location. Tap the map to place the pin.',
  'report.location.none': 'No place chosen yet.',
  'report.location.fromPhoto': 'Place taken from the photo.',
  'report.location.fromDevice': 'Place taken from your device’s location.',
  'report.location.fromMap': 'Place chosen on the map.',
  'report.location.coords': '{lat}, {lon}',

  'report.category.title': 'What is the problem?',
  'report.category.error': 'The list of problems could not be loaded.',

  'report.details.title': 'Details',
  'report.details.more': 'More details (optional)',
  'report.details.choose': 'Choose…',
  'report.required': 'required',
  'report.optional': 'optional',
  'report.description.label': 'Description (optional)',
  'report.description.placeholder': 'What is wrong, and where exactly?',
  'report.email.label': 'E-mail (optional)',
  'report.email.hint': 'Only to send you news about this report. It is never shown publicly. No account is created.',

  'report.nearby.title': 'Is it one of these?',
  'report.nearby.intro':
    'These reports of the same kind are already open nearby. You can follow one of them instead of sending a new report.',
  'report.nearby.distance': '{m} m away',
  'report.nearby.follow': 'Follow',

  'report.send': 'Send the report',
  'report.sending': 'Sending…',
  'report.missing.category': 'Choose what the problem is.',
  'report.missing.location': 'Show where the problem is: tap the map, use your location, or add a photo with a GPS position.',
  'report.error.title': 'The report was not sent',
  'report.error.kept': 'Everything you entered is kept; correct it and send again.',

  'report.success.title': 'Thank you! Your report was sent.',
  'report.success.number': 'Tracking number',
  'report.success.keep': 'Keep this number: with it you can follow what happens to your report.',
  'report.success.follow': 'Follow your report',
  'report.success.another': 'Report another problem',
  'report.success.map': 'Back to the map',

  'track.title': 'Report {tn}',
  'track.heading': 'Follow a report',
  'track.lookup.label': 'Tracking number',
  'track.lookup.hint': '8 letters and digits, for example ABCD-EF23.',
  'track.lookup.go': 'Find',
  'track.lookup.invalid': 'A tracking number has 8 letters and digits, for example ABCD-EF23.',
  'track.status': 'Status',
  'track.category': 'Problem',
  'track.address': 'Address',
  'track.zone': 'Area',
  'track.department': 'Handled by',
  'track.reported': 'Reported',
  'track.due': 'To be resolved by',
  'track.overdue': 'overdue',
  'track.description': 'Description',
  'track.photos': 'Photos',
  'track.photo.open': 'Open photo {n}',
  'track.photo.alt': 'Photo {n} of report {tn}',
  'track.timeline': 'History',
  'track.location': 'Location',
  'track.mapLabel': 'Map with the place of the report',

  'timeline.reported': 'Report received',
  'timeline.statusChanged': 'Status: {status}',
  'timeline.other': 'Update',

  'ml.zoomIn': 'Zoom in',
  'ml.zoomOut': 'Zoom out',
  'ml.resetBearing': 'Drag to rotate the map, click to turn it north',
  'ml.findMyLocation': 'Show my location',
  'ml.locationNotAvailable': 'Location not available',
  'ml.toggleAttribution': 'Show or hide the map credits',
  'ml.marker': 'Pin',
  'ml.gestures.mobile': 'Use two fingers to move the map',
  'ml.gestures.windows': 'Use Ctrl + scroll to zoom the map',
  'ml.gestures.mac': 'Use ⌘ + scroll to zoom the map',
} as const;

/** The UI texts of one language. */
export type Messages = { readonly [K in keyof typeof en]: string };
/** A key of the UI texts. */
export type MessageKey = keyof typeof en;
