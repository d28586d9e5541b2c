//! What each problem says to a person, in Romanian, Hungarian and English.

use super::error::{ApiError, Expected, RateLimit};
use crate::domain::{AttributeProblem, Lang};
use crate::intake::{IntakeError, Invalid};
use crate::media::PhotoError;

/// Picks the text for `lang` from a (ro, hu, en) triple.
pub(super) fn t(lang: Lang, ro: &str, hu: &str, en: &str) -> String {
    match lang {
        Lang::Ro => ro,
        Lang::Hu => hu,
        Lang::En => en,
    }
    .to_owned()
}

/// The title and detail of `error` in `lang`.
pub(super) fn describe(error: &ApiError, lang: Lang) -> (String, String) {
    let l = lang;
    match error {
        ApiError::Intake(e) => describe_intake(e, l),
        ApiError::InvalidParameter { field, expected } => (
            t(l, "Parametru invalid", "Érvénytelen paraméter", "Invalid parameter"),
            match expected {
                Expected::Bbox => t(
                    l,
                    "„bbox” trebuie să fie minLon,minLat,maxLon,maxLat, cu minimele mai mici decât maximele.",
                    "A „bbox” formátuma minLon,minLat,maxLon,maxLat, a minimumok kisebbek a maximumoknál.",
                    "\"bbox\" must be minLon,minLat,maxLon,maxLat with each minimum below its maximum.",
                ),
                Expected::Number => must_be_a_number(l, field),
                Expected::Status => t(
                    l,
                    "Stare necunoscută. Valori posibile: new, acknowledged, assigned, in_progress, resolved, closed, rejected, duplicate, referred, reopened.",
                    "Ismeretlen állapot. Lehetséges értékek: new, acknowledged, assigned, in_progress, resolved, closed, rejected, duplicate, referred, reopened.",
                    "Unknown status. Possible values: new, acknowledged, assigned, in_progress, resolved, closed, rejected, duplicate, referred, reopened.",
                ),
                Expected::Category => t(
                    l,
                    "Categorie necunoscută; lista este la /api/v1/categories.",
                    "Ismeretlen kategória; a lista itt található: /api/v1/categories.",
                    "Unknown category; the list is at /api/v1/categories.",
                ),
                Expected::Range { min, max } => t(
                    l,
                    &format!("„{field}” trebuie să fie între {min} și {max}."),
                    &format!("A(z) „{field}” értéke {min} és {max} között kell legyen."),
                    &format!("\"{field}\" must be between {min} and {max}."),
                ),
                Expected::Cursor => t(
                    l,
                    "Cursorul de paginare nu este valid; folosiți linkul „next” primit.",
                    "A lapozási kurzor érvénytelen; használja a kapott „next” hivatkozást.",
                    "The page cursor is not valid; use the \"next\" link you were given.",
                ),
                Expected::Department => t(
                    l,
                    "Departament necunoscut.",
                    "Ismeretlen osztály.",
                    "Unknown department.",
                ),
                Expected::Date => t(
                    l,
                    &format!("„{field}” trebuie să fie o dată de forma 2026-01-31."),
                    &format!("A(z) „{field}” dátum kell legyen, például 2026-01-31."),
                    &format!("\"{field}\" must be a date such as 2026-01-31."),
                ),
                Expected::TrackingNumber => t(
                    l,
                    &format!("„{field}” conține un număr de urmărire greșit (8 caractere, de exemplu ABCD-EF23)."),
                    &format!("A(z) „{field}” hibás követési számot tartalmaz (8 karakter, például ABCD-EF23)."),
                    &format!("\"{field}\" holds a malformed tracking number (8 characters, for example ABCD-EF23)."),
                ),
                Expected::Latitude => t(
                    l,
                    "Latitudinea trebuie să fie între -90 și 90.",
                    "A földrajzi szélesség -90 és 90 között lehet.",
                    "The latitude must be between -90 and 90.",
                ),
                Expected::Longitude => t(
                    l,
                    "Longitudinea trebuie să fie între -180 și 180.",
                    "A földrajzi hosszúság -180 és 180 között lehet.",
                    "The longitude must be between -180 and 180.",
                ),
            },
        ),
        ApiError::MalformedBody { field } => (
            t(l, "Cerere de neînțeles", "Értelmezhetetlen kérés", "Malformed request"),
            match field {
                Some(f) => t(
                    l,
                    &format!("Câmpul „{f}” are un tip greșit."),
                    &format!("A(z) „{f}” mező típusa hibás."),
                    &format!("Field \"{f}\" has the wrong type."),
                ),
                None => t(
                    l,
                    "Corpul cererii nu este JSON valid sau formular multipart valid.",
                    "A kérés törzse nem érvényes JSON vagy multipart űrlap.",
                    "The request body is not valid JSON or a valid multipart form.",
                ),
            },
        ),
        ApiError::UnsupportedMediaType => (
            t(l, "Format de cerere nesuportat", "Nem támogatott kérésformátum", "Unsupported request format"),
            t(
                l,
                "Trimiteți application/json sau multipart/form-data.",
                "Küldjön application/json vagy multipart/form-data formátumot.",
                "Send application/json or multipart/form-data.",
            ),
        ),
        ApiError::PayloadTooLarge { max_bytes, .. } => (
            t(l, "Cerere prea mare", "Túl nagy kérés", "Request too large"),
            t(
                l,
                &format!("Cererea depășește {} MB.", mb(*max_bytes)),
                &format!("A kérés meghaladja a(z) {} MB-ot.", mb(*max_bytes)),
                &format!("The request exceeds {} MB.", mb(*max_bytes)),
            ),
        ),
        ApiError::TooManyParts { max } => (
            t(l, "Formular prea lung", "Túl hosszú űrlap", "Form too long"),
            t(
                l,
                &format!("Formularul poate avea cel mult {max} câmpuri și fișiere."),
                &format!("Az űrlap legfeljebb {max} mezőt és fájlt tartalmazhat."),
                &format!("The form can have at most {max} fields and files."),
            ),
        ),
        ApiError::InvalidTrackingNumber => (
            t(l, "Număr de urmărire greșit", "Hibás követési szám", "Invalid tracking number"),
            t(
                l,
                "Un număr de urmărire are 8 caractere (de exemplu ABCD-EF23), fără O, 0, I sau 1. Verificați dacă l-ați copiat corect.",
                "A követési szám 8 karakterből áll (például ABCD-EF23), O, 0, I és 1 nélkül. Ellenőrizze, hogy pontosan másolta-e.",
                "A tracking number has 8 characters (for example ABCD-EF23), without O, 0, I or 1. Check that it was copied correctly.",
            ),
        ),
        ApiError::UnknownTrackingNumber => (
            t(l, "Sesizare negăsită", "A bejelentés nem található", "Report not found"),
            t(
                l,
                "Nu există nicio sesizare cu acest număr de urmărire.",
                "Ezzel a követési számmal nincs bejelentés.",
                "There is no report with this tracking number.",
            ),
        ),
        ApiError::NotFound => (
            t(l, "Negăsit", "Nem található", "Not found"),
            t(l, "Resursa cerută nu există.", "A kért erőforrás nem létezik.", "The requested resource does not exist."),
        ),
        ApiError::Busy { retry_after_secs } => (
            t(l, "Serviciu ocupat", "A szolgáltatás túlterhelt", "Service busy"),
            t(
                l,
                &format!("Primim foarte multe cereri acum. Nimic nu a fost salvat; încercați din nou peste {retry_after_secs} secunde."),
                &format!("Most nagyon sok kérés érkezik. Semmi sem lett mentve; próbálja újra {retry_after_secs} másodperc múlva."),
                &format!("We are receiving very many requests right now. Nothing was saved; try again in {retry_after_secs} seconds."),
            ),
        ),
        ApiError::Unavailable { retry_after_secs } => (
            t(l, "Serviciu indisponibil", "A szolgáltatás nem érhető el", "Service unavailable"),
            t(
                l,
                &format!("Baza de date nu răspunde momentan. Încercați din nou peste {retry_after_secs} secunde; o sesizare retrimisă cu aceeași cheie Idempotency-Key nu este înregistrată de două ori."),
                &format!("Az adatbázis most nem válaszol. Próbálja újra {retry_after_secs} másodperc múlva; az ugyanazzal az Idempotency-Key kulccsal újraküldött bejelentés nem kerül be kétszer."),
                &format!("The database is not answering right now. Try again in {retry_after_secs} seconds; a report sent again with the same Idempotency-Key is not filed twice."),
            ),
        ),
        ApiError::TooManyRequests {
            limit,
            retry_after_secs,
        } => (
            t(l, "Prea multe cereri", "Túl sok kérés", "Too many requests"),
            match limit {
                RateLimit::Reports => t(
                    l,
                    &format!("Ați trimis multe sesizări într-un timp scurt. Puteți trimite din nou peste {retry_after_secs} secunde."),
                    &format!("Rövid idő alatt sok bejelentést küldött. {retry_after_secs} másodperc múlva küldhet újra."),
                    &format!("You have sent many reports in a short time. You can send again in {retry_after_secs} seconds."),
                ),
                RateLimit::PhotoBytes => t(
                    l,
                    &format!("Ați trimis azi prea multe fotografii. Puteți trimite sesizări fără fotografii acum, sau cu fotografii peste {retry_after_secs} secunde."),
                    &format!("Ma túl sok fényképet küldött. Fénykép nélkül most is küldhet bejelentést, fényképpel {retry_after_secs} másodperc múlva."),
                    &format!("You have sent too many photos today. You can send reports without photos now, or with photos in {retry_after_secs} seconds."),
                ),
            },
        ),
        ApiError::RequestTimeout => (
            t(l, "Cerere prea lentă", "Túl lassú kérés", "Request too slow"),
            t(
                l,
                "Cererea a durat prea mult. Verificați conexiunea și încercați din nou; o sesizare retrimisă cu aceeași cheie Idempotency-Key nu este înregistrată de două ori.",
                "A kérés túl sokáig tartott. Ellenőrizze a kapcsolatot, és próbálja újra; az ugyanazzal az Idempotency-Key kulccsal újraküldött bejelentés nem kerül be kétszer.",
                "The request took too long. Check the connection and try again; a report sent again with the same Idempotency-Key is not filed twice.",
            ),
        ),
        ApiError::Store(_) | ApiError::Storage(_) | ApiError::Internal(_) => internal(l),
    }
}

fn describe_intake(error: &IntakeError, l: Lang) -> (String, String) {
    match error {
        IntakeError::Missing { field } => (
            t(l, "Câmp obligatoriu lipsă", "Hiányzó kötelező mező", "Missing required field"),
            match *field {
                "lat" | "lon" => t(
                    l,
                    "Indicați locul problemei pe hartă (sau adăugați o fotografie cu poziție GPS).",
                    "Jelölje meg a probléma helyét a térképen (vagy csatoljon GPS-pozíciós fényképet).",
                    "Mark where the problem is on the map (or add a photo with a GPS position).",
                ),
                "category" => t(l, "Alegeți o categorie.", "Válasszon kategóriát.", "Choose a category."),
                other => t(
                    l,
                    &format!("Câmpul „{other}” este obligatoriu."),
                    &format!("A(z) „{other}” mező kötelező."),
                    &format!("Field \"{other}\" is required."),
                ),
            },
        ),
        IntakeError::Invalid { field, reason } => (
            t(l, "Valoare invalidă", "Érvénytelen érték", "Invalid value"),
            match reason {
                Invalid::NotANumber => must_be_a_number(l, field),
                Invalid::Coordinate => t(
                    l,
                    "Coordonatele nu sunt valide: latitudinea este între -90 și 90, longitudinea între -180 și 180.",
                    "A koordináták érvénytelenek: a szélesség -90 és 90, a hosszúság -180 és 180 közötti.",
                    "The coordinates are not valid: latitude is between -90 and 90, longitude between -180 and 180.",
                ),
                Invalid::Email => t(
                    l,
                    "Adresa de e-mail nu pare corectă.",
                    "Az e-mail-cím nem tűnik helyesnek.",
                    "The e-mail address does not look right.",
                ),
                Invalid::Phone => t(
                    l,
                    "Numărul de telefon trebuie să conțină între 6 și 15 cifre.",
                    "A telefonszám 6–15 számjegyből állhat.",
                    "The phone number must have between 6 and 15 digits.",
                ),
                Invalid::Locale => t(
                    l,
                    "Limba trebuie să fie ro, hu sau en.",
                    "A nyelv ro, hu vagy en lehet.",
                    "The language must be ro, hu or en.",
                ),
                Invalid::TooLong { max } => t(
                    l,
                    &format!("„{field}” poate avea cel mult {max} caractere."),
                    &format!("A(z) „{field}” legfeljebb {max} karakter lehet."),
                    &format!("\"{field}\" can have at most {max} characters."),
                ),
                Invalid::Url => t(
                    l,
                    &format!("„{field}” trebuie să fie o adresă http:// sau https://."),
                    &format!("A(z) „{field}” http:// vagy https:// cím kell legyen."),
                    &format!("\"{field}\" must be an http:// or https:// address."),
                ),
                Invalid::Character => t(
                    l,
                    &format!("„{field}” conține caractere care nu sunt permise (caractere de control sau invizibile)."),
                    &format!("A(z) „{field}” nem megengedett (vezérlő- vagy láthatatlan) karaktereket tartalmaz."),
                    &format!("\"{field}\" contains characters that are not allowed (control or invisible characters)."),
                ),
                Invalid::IdempotencyKey => t(
                    l,
                    "Antetul Idempotency-Key trebuie să aibă 1–255 caractere ASCII vizibile.",
                    "Az Idempotency-Key fejléc 1–255 látható ASCII karakter lehet.",
                    "The Idempotency-Key header must be 1–255 visible ASCII characters.",
                ),
            },
        ),
        IntakeError::UnknownCategory { code } => (
            t(l, "Categorie necunoscută", "Ismeretlen kategória", "Unknown category"),
            t(
                l,
                &format!("Categoria „{code}” nu există; alegeți una din listă."),
                &format!("A(z) „{code}” kategória nem létezik; válasszon a listából."),
                &format!("Category \"{code}\" does not exist; choose one from the list."),
            ),
        ),
        IntakeError::Attribute(a) => {
            let c = &a.code;
            (
                t(l, "Informație suplimentară invalidă", "Érvénytelen kiegészítő adat", "Invalid additional information"),
                match a.problem {
                    AttributeProblem::Unknown => t(
                        l,
                        &format!("Categoria nu are câmpul „{c}”."),
                        &format!("A kategóriának nincs „{c}” mezője."),
                        &format!("The category has no field \"{c}\"."),
                    ),
                    AttributeProblem::Required => t(
                        l,
                        &format!("Câmpul „{c}” este obligatoriu pentru această categorie."),
                        &format!("A(z) „{c}” mező kötelező ennél a kategóriánál."),
                        &format!("Field \"{c}\" is required for this category."),
                    ),
                    AttributeProblem::NotANumber => must_be_a_number(l, c),
                    AttributeProblem::NotADatetime => t(
                        l,
                        &format!("„{c}” trebuie să fie o dată și oră (de exemplu 2026-11-24T08:30:00+02:00)."),
                        &format!("A(z) „{c}” dátum és idő kell legyen (például 2026-11-24T08:30:00+02:00)."),
                        &format!("\"{c}\" must be a date and time (for example 2026-11-24T08:30:00+02:00)."),
                    ),
                    AttributeProblem::NotAnAllowedValue => t(
                        l,
                        &format!("Valoarea lui „{c}” nu este una dintre opțiunile permise."),
                        &format!("A(z) „{c}” értéke nem a megengedett lehetőségek egyike."),
                        &format!("The value of \"{c}\" is not one of the allowed options."),
                    ),
                    AttributeProblem::OneValueExpected => t(
                        l,
                        &format!("„{c}” acceptă o singură valoare."),
                        &format!("A(z) „{c}” csak egy értéket fogad el."),
                        &format!("\"{c}\" takes a single value."),
                    ),
                    AttributeProblem::InvalidCharacters => t(
                        l,
                        &format!("„{c}” conține caractere care nu sunt permise (caractere de control sau invizibile)."),
                        &format!("A(z) „{c}” nem megengedett (vezérlő- vagy láthatatlan) karaktereket tartalmaz."),
                        &format!("\"{c}\" contains characters that are not allowed (control or invisible characters)."),
                    ),
                    AttributeProblem::TooLong => t(
                        l,
                        &format!("„{c}” este prea lung."),
                        &format!("A(z) „{c}” túl hosszú."),
                        &format!("\"{c}\" is too long."),
                    ),
                },
            )
        }
        IntakeError::OutsideJurisdiction => (
            t(l, "Locul este în afara orașului", "A hely a városon kívül esik", "The place is outside the city"),
            t(
                l,
                "Putem primi doar sesizări de pe teritoriul municipiului. Mutați marcajul în interiorul orașului.",
                "Csak a város területéről fogadhatunk bejelentést. Helyezze a jelölőt a városon belülre.",
                "We can only take reports within the city limits. Move the pin inside the city.",
            ),
        ),
        IntakeError::AddressNotFound => (
            t(l, "Adresă negăsită", "A cím nem található", "Address not found"),
            t(
                l,
                "Nu găsim această adresă în registrul de adrese al orașului. Verificați strada și numărul sau indicați locul pe hartă.",
                "Ezt a címet nem találjuk a város címjegyzékében. Ellenőrizze az utcát és a házszámot, vagy jelölje meg a helyet a térképen.",
                "We cannot find this address in the city's address register. Check the street and number, or mark the place on the map.",
            ),
        ),
        IntakeError::TooManyPhotos { max } => (
            t(l, "Prea multe fotografii", "Túl sok fénykép", "Too many photos"),
            t(
                l,
                &format!("Puteți adăuga cel mult {max} fotografii."),
                &format!("Legfeljebb {max} fényképet csatolhat."),
                &format!("You can add at most {max} photos."),
            ),
        ),
        IntakeError::Photo { index, error } => describe_photo(*index + 1, error, l),
        IntakeError::IdempotencyKeyReused => (
            t(l, "Cheie de idempotență refolosită", "Újrahasznált idempotencia-kulcs", "Idempotency key reused"),
            t(
                l,
                "Această cheie Idempotency-Key a fost folosită deja pentru o altă sesizare. Folosiți o cheie nouă pentru fiecare sesizare.",
                "Ezt az Idempotency-Key kulcsot már egy másik bejelentéshez használták. Minden bejelentéshez új kulcsot használjon.",
                "This Idempotency-Key was already used for a different report. Use a new key for each report.",
            ),
        ),
        IntakeError::Store(_)
        | IntakeError::Storage(_)
        | IntakeError::Internal(_)
        | IntakeError::Busy(_)
        | IntakeError::Limited(_) => internal(l),
    }
}

fn describe_photo(n: usize, error: &PhotoError, l: Lang) -> (String, String) {
    let title = t(
        l,
        "Fotografie neacceptată",
        "Nem elfogadott fénykép",
        "Photo not accepted",
    );
    let detail = match error {
        PhotoError::TooLarge { max_bytes } => t(
            l,
            &format!("Fotografia {n} depășește {} MB.", mb(*max_bytes)),
            &format!("A(z) {n}. fénykép meghaladja a(z) {} MB-ot.", mb(*max_bytes)),
            &format!("Photo {n} is larger than {} MB.", mb(*max_bytes)),
        ),
        PhotoError::Heic => t(
            l,
            &format!("Fotografia {n} este în format HEIC. Trimiteți-o ca JPEG (pe iPhone: Setări › Cameră › Formate › Cel mai compatibil)."),
            &format!("A(z) {n}. fénykép HEIC formátumú. Küldje JPEG-ként (iPhone-on: Beállítások › Kamera › Formátumok › Legkompatibilisebb)."),
            &format!("Photo {n} is in HEIC format. Send it as JPEG (on an iPhone: Settings › Camera › Formats › Most Compatible)."),
        ),
        PhotoError::NotAnImage => t(
            l,
            &format!("Fișierul {n} nu este o imagine JPEG, PNG sau WebP."),
            &format!("A(z) {n}. fájl nem JPEG, PNG vagy WebP kép."),
            &format!("File {n} is not a JPEG, PNG or WebP image."),
        ),
        PhotoError::TooManyPixels {
            max_side,
            max_pixels,
        } => {
            let mp = max_pixels / 1_000_000;
            t(
                l,
                &format!("Fotografia {n} este prea mare: cel mult {mp} megapixeli și {max_side} pixeli pe o latură. Trimiteți fotografia așa cum o face telefonul, sau micșorată."),
                &format!("A(z) {n}. fénykép túl nagy: legfeljebb {mp} megapixel és oldalanként {max_side} képpont lehet. Küldje úgy, ahogy a telefon készítette, vagy kicsinyítve."),
                &format!("Photo {n} is too large: at most {mp} megapixels and {max_side} pixels on a side. Send it as the phone took it, or scaled down."),
            )
        }
        PhotoError::Corrupt => t(
            l,
            &format!("Fotografia {n} este deteriorată și nu poate fi citită."),
            &format!("A(z) {n}. fénykép sérült, nem olvasható."),
            &format!("Photo {n} is damaged and cannot be read."),
        ),
    };
    (title, detail)
}

fn internal(l: Lang) -> (String, String) {
    (
        t(l, "Eroare internă", "Belső hiba", "Internal error"),
        t(
            l,
            "A apărut o eroare la noi; încercați din nou peste puțin timp.",
            "Hiba történt nálunk; kérjük, próbálja újra később.",
            "Something went wrong on our side; please try again shortly.",
        ),
    )
}

/// "`field` must be a number", for query parameters, form fields and attributes alike.
fn must_be_a_number(l: Lang, field: &str) -> String {
    t(
        l,
        &format!("„{field}” trebuie să fie un număr."),
        &format!("A(z) „{field}” értéke szám kell legyen."),
        &format!("\"{field}\" must be a number."),
    )
}

/// Bytes as whole megabytes, for messages.
fn mb(bytes: usize) -> usize {
    bytes.div_ceil(1024 * 1024)
}
