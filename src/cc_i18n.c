/* cc_i18n.c - the built-in interface strings, the site's own (CookieConsentText) and the choice
 * of language. Each table is written as a native speaker of the language writes for a company's
 * site: the formal register where it is the norm (Sie, usted, Lei, u, Państwo), "du" in Swedish and
 * Danish, where it is; "Reject all" as short and as plain as "Accept all". */
#include "cc_i18n.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* English */
static const char *const cc_en[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Your choice about cookies",
    [CC_S_BANNER_TEXT] = "We use cookies the site needs and, with your consent, optional "
                         "cookies. You can change your choice at any time.",
    [CC_S_ACCEPT_ALL] = "Accept all",
    [CC_S_REJECT_ALL] = "Reject all",
    [CC_S_CUSTOMISE] = "Customise",
    [CC_S_POLICY_LINK] = "Cookie policy",
    [CC_S_PRIVACY_SETTINGS] = "Privacy settings",
    [CC_S_SETTINGS_INTRO] = "Choose which cookies this site may use. Necessary cookies cannot be "
                            "switched off. Optional cookies are only used if you switch them on.",
    [CC_S_ALWAYS_ON] = "Always on",
    [CC_S_SAVE] = "Save my choices",
    [CC_S_CLOSE] = "Close",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domain",
    [CC_S_COL_PURPOSE] = "Purpose",
    [CC_S_COL_RETENTION] = "Retention",
    [CC_S_HOST_ONLY] = "this site only",
    [CC_S_POLICY_TITLE] = "Cookie policy",
    [CC_S_POLICY_INTRO] = "This page lists the cookies this site uses, why, and for how long.",
    [CC_S_COL_NAME] = "Name",
    [CC_S_COL_TYPE] = "Type",
    [CC_S_COL_WEBSITE] = "Website",
    [CC_S_COL_EXPLANATION] = "Explanation",
    [CC_S_LIFETIME] = "Your choice is kept for %s, then we ask again. We also ask again when the "
                      "cookies we use change.",
    [CC_S_CHANGE] = "You can change or withdraw your consent at any time with the \"Privacy "
                    "settings\" button at the bottom of every page.",
    [CC_S_SESSION] = "Session",
    [CC_S_DAY] = "day",
    [CC_S_DAYS] = "days",
    [CC_S_DAYS_FEW] = "days",
    [CC_S_MONTH] = "month",
    [CC_S_MONTHS] = "months",
    [CC_S_MONTHS_FEW] = "months",
    [CC_S_YEAR] = "year",
    [CC_S_YEARS] = "years",
    [CC_S_YEARS_FEW] = "years",
    [CC_S_SAVED] = "Your choice is saved.",
    [CC_S_CURRENT_CHOICE] = "Your current choice",
    [CC_S_NOT_DECIDED] = "You have not made a choice yet: optional cookies are off.",
    [CC_S_UNSPECIFIED] = "not specified",
    [CC_S_BACK] = "Back to the site",
    [CC_S_COOKIES_OF] = "Cookies: %s",
    [CC_S_PLACEHOLDER] = "This content is provided by %s, which uses cookies of the category "
                         "\"%s\". It is not loaded until you allow them.",
    [CC_S_ALLOW_LOAD] = "Allow and load",
    [CC_S_WITHDRAW_RELOADS] = "Withdrawing a consent reloads the page.",
    [CC_S_RECEIPT] = "Your consent receipt",
    [CC_S_RECEIPT_TITLE] = "Consent receipt",
    [CC_S_RECEIPT_INTRO] = "This is the record of your last choice about cookies on this site.",
    [CC_S_RECEIPT_ID] = "Consent id",
    [CC_S_RECEIPT_TIME] = "Date (UTC)",
    [CC_S_RECEIPT_ACTION] = "Choice",
    [CC_S_RECEIPT_ACCEPTED] = "Categories accepted",
    [CC_S_RECEIPT_REFUSED] = "Categories refused",
    [CC_S_RECEIPT_DECLARATIONS] = "Version of the cookie declarations",
    [CC_S_RECEIPT_REVISION] = "Revision",
    [CC_S_RECEIPT_TEXTS] = "Fingerprint of the texts shown (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Language",
    [CC_S_RECEIPT_SOURCE] = "Where you chose",
    [CC_S_RECEIPT_PREVIOUS] = "Previous choice",
    [CC_S_RECEIPT_FROM_COOKIE] = "This receipt is read from your consent cookie; the site keeps "
                                 "its record of your choice under the same consent id.",
    [CC_S_RECEIPT_WITHDRAW] = "You can withdraw or change your consent at any time in the privacy "
                              "settings; withdrawing is as easy as consenting.",
    [CC_S_CONTINUE] = "Continue",
};

/* French */
static const char *const cc_fr[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Vos choix en matière de cookies",
    [CC_S_BANNER_TEXT] = "Nous utilisons des cookies nécessaires au site et, avec votre accord, "
                         "des cookies facultatifs. Vous pouvez changer d'avis à tout moment.",
    [CC_S_ACCEPT_ALL] = "Tout accepter",
    [CC_S_REJECT_ALL] = "Tout refuser",
    [CC_S_CUSTOMISE] = "Personnaliser",
    [CC_S_POLICY_LINK] = "Politique de cookies",
    [CC_S_PRIVACY_SETTINGS] = "Paramètres de confidentialité",
    [CC_S_SETTINGS_INTRO] = "Choisissez les cookies que ce site peut utiliser. Les cookies "
                            "nécessaires ne peuvent pas être désactivés. Les cookies facultatifs "
                            "ne sont utilisés que si vous les activez.",
    [CC_S_ALWAYS_ON] = "Toujours actifs",
    [CC_S_SAVE] = "Enregistrer mes choix",
    [CC_S_CLOSE] = "Fermer",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domaine",
    [CC_S_COL_PURPOSE] = "Finalité",
    [CC_S_COL_RETENTION] = "Conservation",
    [CC_S_HOST_ONLY] = "ce site uniquement",
    [CC_S_POLICY_TITLE] = "Politique de cookies",
    [CC_S_POLICY_INTRO] = "Cette page liste les cookies utilisés par ce site, pourquoi, et pour "
                          "combien de temps.",
    [CC_S_COL_NAME] = "Nom",
    [CC_S_COL_TYPE] = "Type",
    [CC_S_COL_WEBSITE] = "Site web",
    [CC_S_COL_EXPLANATION] = "Explication",
    [CC_S_LIFETIME] = "Votre choix est conservé pendant %s, puis nous vous le redemandons. Nous "
                      "le redemandons aussi quand les cookies utilisés changent.",
    [CC_S_CHANGE] = "Vous pouvez modifier ou retirer votre consentement à tout moment avec le "
                    "bouton « Paramètres de confidentialité » en bas de chaque page.",
    [CC_S_SESSION] = "Session",
    [CC_S_DAY] = "jour",
    [CC_S_DAYS] = "jours",
    [CC_S_DAYS_FEW] = "jours",
    [CC_S_MONTH] = "mois",
    [CC_S_MONTHS] = "mois",
    [CC_S_MONTHS_FEW] = "mois",
    [CC_S_YEAR] = "an",
    [CC_S_YEARS] = "ans",
    [CC_S_YEARS_FEW] = "ans",
    [CC_S_SAVED] = "Votre choix est enregistré.",
    [CC_S_CURRENT_CHOICE] = "Votre choix actuel",
    [CC_S_NOT_DECIDED] = "Vous n'avez pas encore fait de choix : les cookies facultatifs sont "
                         "désactivés.",
    [CC_S_UNSPECIFIED] = "non précisée",
    [CC_S_BACK] = "Retour au site",
    [CC_S_COOKIES_OF] = "Cookies : %s",
    [CC_S_PLACEHOLDER] = "Ce contenu est fourni par %s, qui utilise des cookies de la catégorie "
                         "« %s ». Il n'est pas chargé tant que vous ne les autorisez pas.",
    [CC_S_ALLOW_LOAD] = "Autoriser et charger",
    [CC_S_WITHDRAW_RELOADS] = "Retirer un consentement recharge la page.",
    [CC_S_RECEIPT] = "Votre reçu de consentement",
    [CC_S_RECEIPT_TITLE] = "Reçu de consentement",
    [CC_S_RECEIPT_INTRO] = "Voici l'enregistrement de votre dernier choix en matière de cookies "
                           "sur ce site.",
    [CC_S_RECEIPT_ID] = "Identifiant du consentement",
    [CC_S_RECEIPT_TIME] = "Date (UTC)",
    [CC_S_RECEIPT_ACTION] = "Choix",
    [CC_S_RECEIPT_ACCEPTED] = "Catégories acceptées",
    [CC_S_RECEIPT_REFUSED] = "Catégories refusées",
    [CC_S_RECEIPT_DECLARATIONS] = "Version des déclarations de cookies",
    [CC_S_RECEIPT_REVISION] = "Révision",
    [CC_S_RECEIPT_TEXTS] = "Empreinte des textes affichés (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Langue",
    [CC_S_RECEIPT_SOURCE] = "Où vous avez choisi",
    [CC_S_RECEIPT_PREVIOUS] = "Choix précédent",
    [CC_S_RECEIPT_FROM_COOKIE] = "Ce reçu est lu dans votre cookie de consentement ; le site "
                                 "conserve l'enregistrement de votre choix sous le même "
                                 "identifiant.",
    [CC_S_RECEIPT_WITHDRAW] = "Vous pouvez retirer ou modifier votre consentement à tout moment "
                              "dans les paramètres de confidentialité ; retirer est aussi simple "
                              "que consentir.",
    [CC_S_CONTINUE] = "Continuer",
};

/* German (formal: Sie) */
static const char *const cc_de[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Ihre Entscheidung zu Cookies",
    [CC_S_BANNER_TEXT] = "Wir verwenden notwendige Cookies und, mit Ihrer Einwilligung, "
                         "optionale Cookies. Sie können Ihre Wahl jederzeit ändern.",
    [CC_S_ACCEPT_ALL] = "Alle annehmen",
    [CC_S_REJECT_ALL] = "Alle ablehnen",
    [CC_S_CUSTOMISE] = "Anpassen",
    [CC_S_POLICY_LINK] = "Cookie-Richtlinie",
    [CC_S_PRIVACY_SETTINGS] = "Datenschutzeinstellungen",
    [CC_S_SETTINGS_INTRO] = "Wählen Sie, welche Cookies diese Website verwenden darf. Notwendige "
                            "Cookies können nicht deaktiviert werden. Optionale Cookies werden "
                            "nur verwendet, wenn Sie sie aktivieren.",
    [CC_S_ALWAYS_ON] = "Immer aktiv",
    [CC_S_SAVE] = "Auswahl speichern",
    [CC_S_CLOSE] = "Schließen",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domain",
    [CC_S_COL_PURPOSE] = "Zweck",
    [CC_S_COL_RETENTION] = "Speicherdauer",
    [CC_S_HOST_ONLY] = "nur diese Website",
    [CC_S_POLICY_TITLE] = "Cookie-Richtlinie",
    [CC_S_POLICY_INTRO] = "Diese Seite führt die Cookies auf, die diese Website verwendet, wozu "
                          "und wie lange.",
    [CC_S_COL_NAME] = "Bezeichnung",
    [CC_S_COL_TYPE] = "Typ",
    [CC_S_COL_WEBSITE] = "Website",
    [CC_S_COL_EXPLANATION] = "Erläuterung",
    [CC_S_LIFETIME] = "Ihre Wahl wird %s lang gespeichert; danach fragen wir erneut. Wir fragen "
                      "auch erneut, wenn sich die verwendeten Cookies ändern.",
    [CC_S_CHANGE] = "Sie können Ihre Einwilligung jederzeit über die Schaltfläche "
                    "„Datenschutzeinstellungen“ unten auf jeder Seite ändern oder "
                    "widerrufen.",
    [CC_S_SESSION] = "Sitzung",
    [CC_S_DAY] = "Tag",
    [CC_S_DAYS] = "Tage",
    [CC_S_DAYS_FEW] = "Tage",
    [CC_S_MONTH] = "Monat",
    [CC_S_MONTHS] = "Monate",
    [CC_S_MONTHS_FEW] = "Monate",
    [CC_S_YEAR] = "Jahr",
    [CC_S_YEARS] = "Jahre",
    [CC_S_YEARS_FEW] = "Jahre",
    [CC_S_SAVED] = "Ihre Wahl wurde gespeichert.",
    [CC_S_CURRENT_CHOICE] = "Ihre aktuelle Wahl",
    [CC_S_NOT_DECIDED] = "Sie haben noch keine Wahl getroffen: Optionale Cookies sind "
                         "deaktiviert.",
    [CC_S_UNSPECIFIED] = "nicht angegeben",
    [CC_S_BACK] = "Zurück zur Website",
    [CC_S_COOKIES_OF] = "Cookies der Kategorie „%s“",
    [CC_S_PLACEHOLDER] = "Dieser Inhalt stammt von %s und setzt Cookies der Kategorie „%s“ ein. "
                         "Er wird erst geladen, wenn Sie diese Cookies zulassen.",
    [CC_S_ALLOW_LOAD] = "Zulassen und laden",
    [CC_S_WITHDRAW_RELOADS] = "Wenn Sie eine Einwilligung widerrufen, wird die Seite neu geladen.",
    [CC_S_RECEIPT] = "Ihre Einwilligungsbestätigung",
    [CC_S_RECEIPT_TITLE] = "Einwilligungsbestätigung",
    [CC_S_RECEIPT_INTRO] = "Dies ist die Aufzeichnung Ihrer letzten Entscheidung zu Cookies auf "
                           "dieser Website.",
    [CC_S_RECEIPT_ID] = "Einwilligungs-ID",
    [CC_S_RECEIPT_TIME] = "Datum (UTC)",
    [CC_S_RECEIPT_ACTION] = "Entscheidung",
    [CC_S_RECEIPT_ACCEPTED] = "Angenommene Kategorien",
    [CC_S_RECEIPT_REFUSED] = "Abgelehnte Kategorien",
    [CC_S_RECEIPT_DECLARATIONS] = "Version der Cookie-Angaben",
    [CC_S_RECEIPT_REVISION] = "Fassung",
    [CC_S_RECEIPT_TEXTS] = "Fingerabdruck der angezeigten Texte (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Sprache",
    [CC_S_RECEIPT_SOURCE] = "Wo Sie entschieden haben",
    [CC_S_RECEIPT_PREVIOUS] = "Vorherige Entscheidung",
    [CC_S_RECEIPT_FROM_COOKIE] = "Diese Bestätigung wird aus Ihrem Einwilligungs-Cookie gelesen; "
                                 "die Website bewahrt die Aufzeichnung Ihrer Entscheidung unter "
                                 "derselben Einwilligungs-ID auf.",
    [CC_S_RECEIPT_WITHDRAW] = "Sie können Ihre Einwilligung jederzeit in den "
                              "Datenschutzeinstellungen widerrufen oder ändern; der Widerruf ist "
                              "so einfach wie die Einwilligung.",
    [CC_S_CONTINUE] = "Weiter",
};

/* Spanish (formal: usted) */
static const char *const cc_es[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Su elección sobre las cookies",
    [CC_S_BANNER_TEXT] = "Utilizamos cookies necesarias para el sitio y, con su consentimiento, "
                         "cookies opcionales. Puede cambiar su elección en cualquier momento.",
    [CC_S_ACCEPT_ALL] = "Aceptar todo",
    [CC_S_REJECT_ALL] = "Rechazar todo",
    [CC_S_CUSTOMISE] = "Personalizar",
    [CC_S_POLICY_LINK] = "Política de cookies",
    [CC_S_PRIVACY_SETTINGS] = "Configuración de privacidad",
    [CC_S_SETTINGS_INTRO] = "Elija qué cookies puede utilizar este sitio. Las cookies necesarias "
                            "no se pueden desactivar. Las cookies opcionales solo se utilizan si "
                            "usted las activa.",
    [CC_S_ALWAYS_ON] = "Siempre activas",
    [CC_S_SAVE] = "Guardar mis preferencias",
    [CC_S_CLOSE] = "Cerrar",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Dominio",
    [CC_S_COL_PURPOSE] = "Finalidad",
    [CC_S_COL_RETENTION] = "Conservación",
    [CC_S_HOST_ONLY] = "solo este sitio",
    [CC_S_POLICY_TITLE] = "Política de cookies",
    [CC_S_POLICY_INTRO] = "Esta página enumera las cookies que utiliza este sitio, para qué y "
                          "durante cuánto tiempo.",
    [CC_S_COL_NAME] = "Nombre",
    [CC_S_COL_TYPE] = "Tipo",
    [CC_S_COL_WEBSITE] = "Sitio web",
    [CC_S_COL_EXPLANATION] = "Explicación",
    [CC_S_LIFETIME] = "Su elección se conserva durante %s; después se la volveremos a pedir. "
                      "También se la pediremos de nuevo si cambian las cookies que utilizamos.",
    [CC_S_CHANGE] = "Puede modificar o retirar su consentimiento en cualquier momento con el "
                    "botón «Configuración de privacidad» que aparece al pie de cada página.",
    [CC_S_SESSION] = "Sesión",
    [CC_S_DAY] = "día",
    [CC_S_DAYS] = "días",
    [CC_S_DAYS_FEW] = "días",
    [CC_S_MONTH] = "mes",
    [CC_S_MONTHS] = "meses",
    [CC_S_MONTHS_FEW] = "meses",
    [CC_S_YEAR] = "año",
    [CC_S_YEARS] = "años",
    [CC_S_YEARS_FEW] = "años",
    [CC_S_SAVED] = "Su elección se ha guardado.",
    [CC_S_CURRENT_CHOICE] = "Su elección actual",
    [CC_S_NOT_DECIDED] = "Todavía no ha tomado ninguna decisión: las cookies opcionales están "
                         "desactivadas.",
    [CC_S_UNSPECIFIED] = "no especificado",
    [CC_S_BACK] = "Volver al sitio",
    [CC_S_COOKIES_OF] = "Cookies de la categoría «%s»",
    [CC_S_PLACEHOLDER] = "Este contenido lo proporciona %s, que utiliza cookies de la categoría "
                         "«%s». No se cargará hasta que usted las permita.",
    [CC_S_ALLOW_LOAD] = "Permitir y cargar",
    [CC_S_WITHDRAW_RELOADS] = "Al retirar un consentimiento, la página se vuelve a cargar.",
    [CC_S_RECEIPT] = "Su justificante de consentimiento",
    [CC_S_RECEIPT_TITLE] = "Justificante de consentimiento",
    [CC_S_RECEIPT_INTRO] = "Este es el registro de su última elección sobre las cookies en este "
                           "sitio.",
    [CC_S_RECEIPT_ID] = "Identificador del consentimiento",
    [CC_S_RECEIPT_TIME] = "Fecha (UTC)",
    [CC_S_RECEIPT_ACTION] = "Elección",
    [CC_S_RECEIPT_ACCEPTED] = "Categorías aceptadas",
    [CC_S_RECEIPT_REFUSED] = "Categorías rechazadas",
    [CC_S_RECEIPT_DECLARATIONS] = "Versión de las declaraciones de cookies",
    [CC_S_RECEIPT_REVISION] = "Revisión",
    [CC_S_RECEIPT_TEXTS] = "Huella de los textos mostrados (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Idioma",
    [CC_S_RECEIPT_SOURCE] = "Dónde eligió",
    [CC_S_RECEIPT_PREVIOUS] = "Elección anterior",
    [CC_S_RECEIPT_FROM_COOKIE] = "Este justificante se lee de su cookie de consentimiento; el "
                                 "sitio conserva el registro de su elección con el mismo "
                                 "identificador.",
    [CC_S_RECEIPT_WITHDRAW] = "Puede retirar o modificar su consentimiento en cualquier momento "
                              "en la configuración de privacidad; retirarlo es tan fácil como "
                              "darlo.",
    [CC_S_CONTINUE] = "Continuar",
};

/* Italian (formal: Lei) */
static const char *const cc_it[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Le sue scelte sui cookie",
    [CC_S_BANNER_TEXT] = "Utilizziamo i cookie necessari al sito e, con il suo consenso, cookie "
                         "facoltativi. Può modificare la sua scelta in qualsiasi momento.",
    [CC_S_ACCEPT_ALL] = "Accetta tutti",
    [CC_S_REJECT_ALL] = "Rifiuta tutti",
    [CC_S_CUSTOMISE] = "Personalizza",
    [CC_S_POLICY_LINK] = "Informativa sui cookie",
    [CC_S_PRIVACY_SETTINGS] = "Impostazioni privacy",
    [CC_S_SETTINGS_INTRO] = "Scelga quali cookie può utilizzare questo sito. I cookie necessari "
                            "non possono essere disattivati. I cookie facoltativi vengono "
                            "utilizzati solo se li attiva.",
    [CC_S_ALWAYS_ON] = "Sempre attivi",
    [CC_S_SAVE] = "Salva le mie scelte",
    [CC_S_CLOSE] = "Chiudi",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Dominio",
    [CC_S_COL_PURPOSE] = "Finalità",
    [CC_S_COL_RETENTION] = "Conservazione",
    [CC_S_HOST_ONLY] = "solo questo sito",
    [CC_S_POLICY_TITLE] = "Informativa sui cookie",
    [CC_S_POLICY_INTRO] = "Questa pagina elenca i cookie utilizzati da questo sito, per quali "
                          "scopi e per quanto tempo.",
    [CC_S_COL_NAME] = "Nome",
    [CC_S_COL_TYPE] = "Tipo",
    [CC_S_COL_WEBSITE] = "Sito web",
    [CC_S_COL_EXPLANATION] = "Descrizione",
    [CC_S_LIFETIME] = "La sua scelta viene conservata per %s; trascorso questo periodo le verrà "
                      "richiesta. Gliela richiederemo anche se i cookie utilizzati cambiano.",
    [CC_S_CHANGE] = "Può modificare o revocare il suo consenso in qualsiasi momento con il "
                    "pulsante «Impostazioni privacy» in fondo a ogni pagina.",
    [CC_S_SESSION] = "Sessione",
    [CC_S_DAY] = "giorno",
    [CC_S_DAYS] = "giorni",
    [CC_S_DAYS_FEW] = "giorni",
    [CC_S_MONTH] = "mese",
    [CC_S_MONTHS] = "mesi",
    [CC_S_MONTHS_FEW] = "mesi",
    [CC_S_YEAR] = "anno",
    [CC_S_YEARS] = "anni",
    [CC_S_YEARS_FEW] = "anni",
    [CC_S_SAVED] = "La sua scelta è stata salvata.",
    [CC_S_CURRENT_CHOICE] = "La sua scelta attuale",
    [CC_S_NOT_DECIDED] = "Non ha ancora effettuato una scelta: i cookie facoltativi sono "
                         "disattivati.",
    [CC_S_UNSPECIFIED] = "non specificato",
    [CC_S_BACK] = "Torna al sito",
    [CC_S_COOKIES_OF] = "Cookie: %s",
    [CC_S_PLACEHOLDER] = "Questo contenuto è fornito da %s, che utilizza cookie della categoria "
                         "«%s». Non viene caricato finché non li autorizza.",
    [CC_S_ALLOW_LOAD] = "Autorizza e carica",
    [CC_S_WITHDRAW_RELOADS] = "La revoca di un consenso ricarica la pagina.",
    [CC_S_RECEIPT] = "La sua ricevuta di consenso",
    [CC_S_RECEIPT_TITLE] = "Ricevuta di consenso",
    [CC_S_RECEIPT_INTRO] = "Questa è la registrazione della sua ultima scelta sui cookie di "
                           "questo sito.",
    [CC_S_RECEIPT_ID] = "Identificativo del consenso",
    [CC_S_RECEIPT_TIME] = "Data (UTC)",
    [CC_S_RECEIPT_ACTION] = "Scelta",
    [CC_S_RECEIPT_ACCEPTED] = "Categorie accettate",
    [CC_S_RECEIPT_REFUSED] = "Categorie rifiutate",
    [CC_S_RECEIPT_DECLARATIONS] = "Versione delle dichiarazioni sui cookie",
    [CC_S_RECEIPT_REVISION] = "Revisione",
    [CC_S_RECEIPT_TEXTS] = "Impronta dei testi mostrati (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Lingua",
    [CC_S_RECEIPT_SOURCE] = "Dove ha scelto",
    [CC_S_RECEIPT_PREVIOUS] = "Scelta precedente",
    [CC_S_RECEIPT_FROM_COOKIE] = "Questa ricevuta è letta dal suo cookie di consenso; il sito "
                                 "conserva la registrazione della sua scelta con lo stesso "
                                 "identificativo.",
    [CC_S_RECEIPT_WITHDRAW] = "Può revocare o modificare il suo consenso in qualsiasi momento "
                              "dalle impostazioni privacy; revocarlo è semplice quanto darlo.",
    [CC_S_CONTINUE] = "Continua",
};

/* Dutch (formal: u) */
static const char *const cc_nl[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Uw keuze over cookies",
    [CC_S_BANNER_TEXT] = "Wij gebruiken noodzakelijke cookies en, met uw toestemming, optionele "
                         "cookies. U kunt uw keuze altijd wijzigen.",
    [CC_S_ACCEPT_ALL] = "Alles accepteren",
    [CC_S_REJECT_ALL] = "Alles weigeren",
    [CC_S_CUSTOMISE] = "Aanpassen",
    [CC_S_POLICY_LINK] = "Cookiebeleid",
    [CC_S_PRIVACY_SETTINGS] = "Privacyinstellingen",
    [CC_S_SETTINGS_INTRO] = "Kies welke cookies deze site mag gebruiken. Noodzakelijke cookies "
                            "kunnen niet worden uitgeschakeld. Optionele cookies worden alleen "
                            "gebruikt als u ze inschakelt.",
    [CC_S_ALWAYS_ON] = "Altijd actief",
    [CC_S_SAVE] = "Mijn keuzes opslaan",
    [CC_S_CLOSE] = "Sluiten",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domein",
    [CC_S_COL_PURPOSE] = "Doel",
    [CC_S_COL_RETENTION] = "Bewaartermijn",
    [CC_S_HOST_ONLY] = "alleen deze site",
    [CC_S_POLICY_TITLE] = "Cookiebeleid",
    [CC_S_POLICY_INTRO] = "Op deze pagina staan de cookies die deze site gebruikt, waarvoor en "
                          "hoe lang.",
    [CC_S_COL_NAME] = "Naam",
    [CC_S_COL_TYPE] = "Soort",
    [CC_S_COL_WEBSITE] = "Website",
    [CC_S_COL_EXPLANATION] = "Toelichting",
    [CC_S_LIFETIME] = "Uw keuze wordt %s bewaard; daarna vragen wij het opnieuw. Wij vragen het "
                      "ook opnieuw als de gebruikte cookies veranderen.",
    [CC_S_CHANGE] = "U kunt uw toestemming altijd wijzigen of intrekken met de knop "
                    "‘Privacyinstellingen’ onderaan elke pagina.",
    [CC_S_SESSION] = "Sessie",
    [CC_S_DAY] = "dag",
    [CC_S_DAYS] = "dagen",
    [CC_S_DAYS_FEW] = "dagen",
    [CC_S_MONTH] = "maand",
    [CC_S_MONTHS] = "maanden",
    [CC_S_MONTHS_FEW] = "maanden",
    [CC_S_YEAR] = "jaar",
    [CC_S_YEARS] = "jaar",
    [CC_S_YEARS_FEW] = "jaar",
    [CC_S_SAVED] = "Uw keuze is opgeslagen.",
    [CC_S_CURRENT_CHOICE] = "Uw huidige keuze",
    [CC_S_NOT_DECIDED] = "U hebt nog geen keuze gemaakt: optionele cookies staan uit.",
    [CC_S_UNSPECIFIED] = "niet opgegeven",
    [CC_S_BACK] = "Terug naar de site",
    [CC_S_COOKIES_OF] = "Cookies van de categorie ‘%s’",
    [CC_S_PLACEHOLDER] = "Deze inhoud komt van %s en gebruikt cookies uit de categorie ‘%s’. De "
                         "inhoud wordt pas geladen als u deze cookies toestaat.",
    [CC_S_ALLOW_LOAD] = "Toestaan en laden",
    [CC_S_WITHDRAW_RELOADS] = "Als u een toestemming intrekt, wordt de pagina opnieuw geladen.",
    [CC_S_RECEIPT] = "Uw toestemmingsbewijs",
    [CC_S_RECEIPT_TITLE] = "Toestemmingsbewijs",
    [CC_S_RECEIPT_INTRO] = "Dit is de registratie van uw laatste keuze over cookies op deze site.",
    [CC_S_RECEIPT_ID] = "Toestemmings-ID",
    [CC_S_RECEIPT_TIME] = "Datum (UTC)",
    [CC_S_RECEIPT_ACTION] = "Keuze",
    [CC_S_RECEIPT_ACCEPTED] = "Geaccepteerde categorieën",
    [CC_S_RECEIPT_REFUSED] = "Geweigerde categorieën",
    [CC_S_RECEIPT_DECLARATIONS] = "Versie van de cookieverklaringen",
    [CC_S_RECEIPT_REVISION] = "Revisie",
    [CC_S_RECEIPT_TEXTS] = "Vingerafdruk van de getoonde teksten (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Taal",
    [CC_S_RECEIPT_SOURCE] = "Waar u koos",
    [CC_S_RECEIPT_PREVIOUS] = "Vorige keuze",
    [CC_S_RECEIPT_FROM_COOKIE] = "Dit bewijs wordt gelezen uit uw toestemmingscookie; de site "
                                 "bewaart de registratie van uw keuze onder hetzelfde "
                                 "toestemmings-ID.",
    [CC_S_RECEIPT_WITHDRAW] = "U kunt uw toestemming altijd intrekken of wijzigen via de "
                              "privacyinstellingen; intrekken is even eenvoudig als toestemming "
                              "geven.",
    [CC_S_CONTINUE] = "Doorgaan",
};

/* Portuguese (European, formal) */
static const char *const cc_pt[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "A sua escolha sobre cookies",
    [CC_S_BANNER_TEXT] = "Utilizamos os cookies necessários ao site e, com o seu consentimento, "
                         "cookies opcionais. Pode alterar a sua escolha a qualquer momento.",
    [CC_S_ACCEPT_ALL] = "Aceitar tudo",
    [CC_S_REJECT_ALL] = "Rejeitar tudo",
    [CC_S_CUSTOMISE] = "Personalizar",
    [CC_S_POLICY_LINK] = "Política de cookies",
    [CC_S_PRIVACY_SETTINGS] = "Definições de privacidade",
    [CC_S_SETTINGS_INTRO] = "Escolha os cookies que este site pode utilizar. Os cookies "
                            "necessários não podem ser desativados. Os cookies opcionais só são "
                            "utilizados se os ativar.",
    [CC_S_ALWAYS_ON] = "Sempre ativos",
    [CC_S_SAVE] = "Guardar as minhas escolhas",
    [CC_S_CLOSE] = "Fechar",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domínio",
    [CC_S_COL_PURPOSE] = "Finalidade",
    [CC_S_COL_RETENTION] = "Conservação",
    [CC_S_HOST_ONLY] = "apenas este site",
    [CC_S_POLICY_TITLE] = "Política de cookies",
    [CC_S_POLICY_INTRO] = "Esta página indica os cookies que este site utiliza, para quê e "
                          "durante quanto tempo.",
    [CC_S_COL_NAME] = "Nome",
    [CC_S_COL_TYPE] = "Tipo",
    [CC_S_COL_WEBSITE] = "Site",
    [CC_S_COL_EXPLANATION] = "Explicação",
    [CC_S_LIFETIME] = "A sua escolha é conservada durante %s; depois, voltamos a perguntar. "
                      "Também voltamos a perguntar quando os cookies utilizados mudarem.",
    [CC_S_CHANGE] = "Pode alterar ou retirar o seu consentimento a qualquer momento com o botão "
                    "«Definições de privacidade», no fundo de cada página.",
    [CC_S_SESSION] = "Sessão",
    [CC_S_DAY] = "dia",
    [CC_S_DAYS] = "dias",
    [CC_S_DAYS_FEW] = "dias",
    [CC_S_MONTH] = "mês",
    [CC_S_MONTHS] = "meses",
    [CC_S_MONTHS_FEW] = "meses",
    [CC_S_YEAR] = "ano",
    [CC_S_YEARS] = "anos",
    [CC_S_YEARS_FEW] = "anos",
    [CC_S_SAVED] = "A sua escolha foi guardada.",
    [CC_S_CURRENT_CHOICE] = "A sua escolha atual",
    [CC_S_NOT_DECIDED] = "Ainda não fez nenhuma escolha: os cookies opcionais estão "
                         "desativados.",
    [CC_S_UNSPECIFIED] = "não indicado",
    [CC_S_BACK] = "Voltar ao site",
    [CC_S_COOKIES_OF] = "Cookies da categoria «%s»",
    [CC_S_PLACEHOLDER] = "Este conteúdo é fornecido por %s, que utiliza cookies da categoria "
                         "«%s». Só será carregado quando os autorizar.",
    [CC_S_ALLOW_LOAD] = "Autorizar e carregar",
    [CC_S_WITHDRAW_RELOADS] = "Retirar um consentimento recarrega a página.",
    [CC_S_RECEIPT] = "O seu comprovativo de consentimento",
    [CC_S_RECEIPT_TITLE] = "Comprovativo de consentimento",
    [CC_S_RECEIPT_INTRO] = "Este é o registo da sua última escolha sobre cookies neste site.",
    [CC_S_RECEIPT_ID] = "Identificador do consentimento",
    [CC_S_RECEIPT_TIME] = "Data (UTC)",
    [CC_S_RECEIPT_ACTION] = "Escolha",
    [CC_S_RECEIPT_ACCEPTED] = "Categorias aceites",
    [CC_S_RECEIPT_REFUSED] = "Categorias recusadas",
    [CC_S_RECEIPT_DECLARATIONS] = "Versão das declarações de cookies",
    [CC_S_RECEIPT_REVISION] = "Revisão",
    [CC_S_RECEIPT_TEXTS] = "Impressão digital dos textos apresentados (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Idioma",
    [CC_S_RECEIPT_SOURCE] = "Onde escolheu",
    [CC_S_RECEIPT_PREVIOUS] = "Escolha anterior",
    [CC_S_RECEIPT_FROM_COOKIE] = "Este comprovativo é lido do seu cookie de consentimento; o "
                                 "site conserva o registo da sua escolha com o mesmo "
                                 "identificador.",
    [CC_S_RECEIPT_WITHDRAW] = "Pode retirar ou alterar o seu consentimento a qualquer momento "
                              "nas definições de privacidade; retirar é tão simples como "
                              "consentir.",
    [CC_S_CONTINUE] = "Continuar",
};

/* Polish (impersonal and Państwo) */
static const char *const cc_pl[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Wybór dotyczący plików cookie",
    [CC_S_BANNER_TEXT] = "Używamy niezbędnych plików cookie, a za Państwa zgodą – także "
                         "opcjonalnych. Wybór można zmienić w każdej chwili.",
    [CC_S_ACCEPT_ALL] = "Akceptuj wszystkie",
    [CC_S_REJECT_ALL] = "Odrzuć wszystkie",
    [CC_S_CUSTOMISE] = "Dostosuj",
    [CC_S_POLICY_LINK] = "Polityka cookies",
    [CC_S_PRIVACY_SETTINGS] = "Ustawienia prywatności",
    [CC_S_SETTINGS_INTRO] = "Prosimy wybrać, których plików cookie może używać ten serwis. "
                            "Niezbędnych plików cookie nie można wyłączyć. Opcjonalne pliki "
                            "cookie są używane tylko wtedy, gdy zostaną włączone.",
    [CC_S_ALWAYS_ON] = "Zawsze włączone",
    [CC_S_SAVE] = "Zapisz wybór",
    [CC_S_CLOSE] = "Zamknij",
    [CC_S_COL_COOKIE] = "Plik cookie",
    [CC_S_COL_DOMAIN] = "Domena",
    [CC_S_COL_PURPOSE] = "Cel",
    [CC_S_COL_RETENTION] = "Okres przechowywania",
    [CC_S_HOST_ONLY] = "tylko ten serwis",
    [CC_S_POLICY_TITLE] = "Polityka cookies",
    [CC_S_POLICY_INTRO] = "Na tej stronie wymieniono pliki cookie używane przez ten serwis, ich "
                          "cel i okres przechowywania.",
    [CC_S_COL_NAME] = "Nazwa",
    [CC_S_COL_TYPE] = "Rodzaj",
    [CC_S_COL_WEBSITE] = "Witryna",
    [CC_S_COL_EXPLANATION] = "Opis",
    [CC_S_LIFETIME] = "Wybór jest przechowywany przez %s, po czym zapytamy ponownie. Zapytamy "
                      "również wtedy, gdy zmienią się używane pliki cookie.",
    [CC_S_CHANGE] = "Zgodę można w każdej chwili zmienić lub wycofać za pomocą przycisku "
                    "„Ustawienia prywatności” na dole każdej strony.",
    [CC_S_SESSION] = "Sesja",
    [CC_S_DAY] = "dzień",
    [CC_S_DAYS] = "dni",
    [CC_S_DAYS_FEW] = "dni",
    [CC_S_MONTH] = "miesiąc",
    [CC_S_MONTHS] = "miesięcy",
    [CC_S_MONTHS_FEW] = "miesiące",
    [CC_S_YEAR] = "rok",
    [CC_S_YEARS] = "lat",
    [CC_S_YEARS_FEW] = "lata",
    [CC_S_SAVED] = "Wybór został zapisany.",
    [CC_S_CURRENT_CHOICE] = "Obecny wybór",
    [CC_S_NOT_DECIDED] = "Wybór nie został jeszcze dokonany: opcjonalne pliki cookie są "
                         "wyłączone.",
    [CC_S_UNSPECIFIED] = "nie określono",
    [CC_S_BACK] = "Powrót do serwisu",
    [CC_S_COOKIES_OF] = "Pliki cookie: %s",
    [CC_S_PLACEHOLDER] = "Ta treść pochodzi z serwisu %s, który używa plików cookie z kategorii "
                         "„%s”. Zostanie załadowana dopiero po wyrażeniu zgody na te pliki "
                         "cookie.",
    [CC_S_ALLOW_LOAD] = "Zezwól i załaduj",
    [CC_S_WITHDRAW_RELOADS] = "Wycofanie zgody powoduje ponowne załadowanie strony.",
    [CC_S_RECEIPT] = "Potwierdzenie Państwa zgody",
    [CC_S_RECEIPT_TITLE] = "Potwierdzenie zgody",
    [CC_S_RECEIPT_INTRO] = "To jest zapis ostatniego wyboru dotyczącego plików cookie w tym "
                           "serwisie.",
    [CC_S_RECEIPT_ID] = "Identyfikator zgody",
    [CC_S_RECEIPT_TIME] = "Data (UTC)",
    [CC_S_RECEIPT_ACTION] = "Wybór",
    [CC_S_RECEIPT_ACCEPTED] = "Zaakceptowane kategorie",
    [CC_S_RECEIPT_REFUSED] = "Odrzucone kategorie",
    [CC_S_RECEIPT_DECLARATIONS] = "Wersja deklaracji plików cookie",
    [CC_S_RECEIPT_REVISION] = "Rewizja",
    [CC_S_RECEIPT_TEXTS] = "Odcisk wyświetlonych tekstów (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Język",
    [CC_S_RECEIPT_SOURCE] = "Miejsce wyboru",
    [CC_S_RECEIPT_PREVIOUS] = "Poprzedni wybór",
    [CC_S_RECEIPT_FROM_COOKIE] = "To potwierdzenie odczytano z pliku cookie zgody; serwis "
                                 "przechowuje zapis wyboru pod tym samym identyfikatorem.",
    [CC_S_RECEIPT_WITHDRAW] = "Zgodę można w każdej chwili wycofać lub zmienić w ustawieniach "
                              "prywatności; wycofanie jest równie proste jak jej wyrażenie.",
    [CC_S_CONTINUE] = "Dalej",
};

/* Swedish (du, the norm in Sweden) */
static const char *const cc_sv[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Ditt val om kakor",
    [CC_S_BANNER_TEXT] = "Vi använder nödvändiga kakor och, med ditt samtycke, valfria kakor. Du "
                         "kan när som helst ändra ditt val.",
    [CC_S_ACCEPT_ALL] = "Godkänn alla",
    [CC_S_REJECT_ALL] = "Avvisa alla",
    [CC_S_CUSTOMISE] = "Anpassa",
    [CC_S_POLICY_LINK] = "Kakpolicy",
    [CC_S_PRIVACY_SETTINGS] = "Integritetsinställningar",
    [CC_S_SETTINGS_INTRO] = "Välj vilka kakor den här webbplatsen får använda. Nödvändiga kakor "
                            "kan inte stängas av. Valfria kakor används bara om du slår på "
                            "dem.",
    [CC_S_ALWAYS_ON] = "Alltid på",
    [CC_S_SAVE] = "Spara mina val",
    [CC_S_CLOSE] = "Stäng",
    [CC_S_COL_COOKIE] = "Kaka",
    [CC_S_COL_DOMAIN] = "Domän",
    [CC_S_COL_PURPOSE] = "Ändamål",
    [CC_S_COL_RETENTION] = "Lagringstid",
    [CC_S_HOST_ONLY] = "endast den här webbplatsen",
    [CC_S_POLICY_TITLE] = "Kakpolicy",
    [CC_S_POLICY_INTRO] = "Här listas de kakor som webbplatsen använder, varför och hur "
                          "länge.",
    [CC_S_COL_NAME] = "Namn",
    [CC_S_COL_TYPE] = "Typ",
    [CC_S_COL_WEBSITE] = "Webbplats",
    [CC_S_COL_EXPLANATION] = "Förklaring",
    [CC_S_LIFETIME] = "Ditt val sparas i %s, sedan frågar vi igen. Vi frågar också igen när de "
                      "kakor vi använder ändras.",
    [CC_S_CHANGE] = "Du kan när som helst ändra eller återkalla ditt samtycke med knappen "
                    "”Integritetsinställningar” längst ned på varje sida.",
    [CC_S_SESSION] = "Under besöket",
    [CC_S_DAY] = "dag",
    [CC_S_DAYS] = "dagar",
    [CC_S_DAYS_FEW] = "dagar",
    [CC_S_MONTH] = "månad",
    [CC_S_MONTHS] = "månader",
    [CC_S_MONTHS_FEW] = "månader",
    [CC_S_YEAR] = "år",
    [CC_S_YEARS] = "år",
    [CC_S_YEARS_FEW] = "år",
    [CC_S_SAVED] = "Ditt val har sparats.",
    [CC_S_CURRENT_CHOICE] = "Ditt nuvarande val",
    [CC_S_NOT_DECIDED] = "Du har inte gjort något val än: valfria kakor är avstängda.",
    [CC_S_UNSPECIFIED] = "inte angivet",
    [CC_S_BACK] = "Tillbaka till webbplatsen",
    [CC_S_COOKIES_OF] = "Kakor: %s",
    [CC_S_PLACEHOLDER] = "Det här innehållet kommer från %s, som använder kakor i kategorin "
                         "”%s”. Det läses inte in förrän du tillåter dem.",
    [CC_S_ALLOW_LOAD] = "Tillåt och läs in",
    [CC_S_WITHDRAW_RELOADS] = "Sidan laddas om när du återkallar ett samtycke.",
    [CC_S_RECEIPT] = "Ditt samtyckeskvitto",
    [CC_S_RECEIPT_TITLE] = "Samtyckeskvitto",
    [CC_S_RECEIPT_INTRO] = "Det här är registreringen av ditt senaste val om kakor på den här "
                           "webbplatsen.",
    [CC_S_RECEIPT_ID] = "Samtyckes-id",
    [CC_S_RECEIPT_TIME] = "Datum (UTC)",
    [CC_S_RECEIPT_ACTION] = "Val",
    [CC_S_RECEIPT_ACCEPTED] = "Godkända kategorier",
    [CC_S_RECEIPT_REFUSED] = "Avvisade kategorier",
    [CC_S_RECEIPT_DECLARATIONS] = "Version av kakdeklarationerna",
    [CC_S_RECEIPT_REVISION] = "Utgåva",
    [CC_S_RECEIPT_TEXTS] = "Fingeravtryck av de visade texterna (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Språk",
    [CC_S_RECEIPT_SOURCE] = "Var du valde",
    [CC_S_RECEIPT_PREVIOUS] = "Tidigare val",
    [CC_S_RECEIPT_FROM_COOKIE] = "Kvittot läses från din samtyckeskaka; webbplatsen sparar "
                                 "registreringen av ditt val under samma samtyckes-id.",
    [CC_S_RECEIPT_WITHDRAW] = "Du kan när som helst återkalla eller ändra ditt samtycke i "
                              "integritetsinställningarna; att återkalla är lika enkelt som att "
                              "samtycka.",
    [CC_S_CONTINUE] = "Fortsätt",
};

/* Danish (du, the norm in Denmark) */
static const char *const cc_da[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "Dit valg om cookies",
    [CC_S_BANNER_TEXT] = "Vi bruger nødvendige cookies og, med dit samtykke, valgfrie cookies. "
                         "Du kan til enhver tid ændre dit valg.",
    [CC_S_ACCEPT_ALL] = "Tillad alle",
    [CC_S_REJECT_ALL] = "Afvis alle",
    [CC_S_CUSTOMISE] = "Tilpas",
    [CC_S_POLICY_LINK] = "Cookiepolitik",
    [CC_S_PRIVACY_SETTINGS] = "Privatlivsindstillinger",
    [CC_S_SETTINGS_INTRO] = "Vælg, hvilke cookies denne hjemmeside må bruge. Nødvendige cookies "
                            "kan ikke slås fra. Valgfrie cookies bruges kun, hvis du slår dem "
                            "til.",
    [CC_S_ALWAYS_ON] = "Altid aktive",
    [CC_S_SAVE] = "Gem mine valg",
    [CC_S_CLOSE] = "Luk",
    [CC_S_COL_COOKIE] = "Cookie",
    [CC_S_COL_DOMAIN] = "Domæne",
    [CC_S_COL_PURPOSE] = "Formål",
    [CC_S_COL_RETENTION] = "Opbevaringsperiode",
    [CC_S_HOST_ONLY] = "kun denne hjemmeside",
    [CC_S_POLICY_TITLE] = "Cookiepolitik",
    [CC_S_POLICY_INTRO] = "Denne side viser, hvilke cookies hjemmesiden bruger, hvorfor og hvor "
                          "længe.",
    [CC_S_COL_NAME] = "Navn",
    [CC_S_COL_TYPE] = "Kategori",
    [CC_S_COL_WEBSITE] = "Hjemmeside",
    [CC_S_COL_EXPLANATION] = "Forklaring",
    [CC_S_LIFETIME] = "Dit valg gemmes i %s, hvorefter vi spørger igen. Vi spørger også igen, "
                      "når de cookies, vi bruger, ændres.",
    [CC_S_CHANGE] = "Du kan til enhver tid ændre eller trække dit samtykke tilbage med knappen "
                    "»Privatlivsindstillinger« nederst på hver side.",
    [CC_S_SESSION] = "Under besøget",
    [CC_S_DAY] = "dag",
    [CC_S_DAYS] = "dage",
    [CC_S_DAYS_FEW] = "dage",
    [CC_S_MONTH] = "måned",
    [CC_S_MONTHS] = "måneder",
    [CC_S_MONTHS_FEW] = "måneder",
    [CC_S_YEAR] = "år",
    [CC_S_YEARS] = "år",
    [CC_S_YEARS_FEW] = "år",
    [CC_S_SAVED] = "Dit valg er gemt.",
    [CC_S_CURRENT_CHOICE] = "Dit nuværende valg",
    [CC_S_NOT_DECIDED] = "Du har ikke truffet et valg endnu: valgfrie cookies er slået fra.",
    [CC_S_UNSPECIFIED] = "ikke angivet",
    [CC_S_BACK] = "Tilbage til hjemmesiden",
    [CC_S_COOKIES_OF] = "Cookies i kategorien »%s«",
    [CC_S_PLACEHOLDER] = "Dette indhold leveres af %s, som bruger cookies i kategorien »%s«. Det "
                         "indlæses først, når du tillader dem.",
    [CC_S_ALLOW_LOAD] = "Tillad og indlæs",
    [CC_S_WITHDRAW_RELOADS] = "Siden genindlæses, når du trækker et samtykke tilbage.",
    [CC_S_RECEIPT] = "Din samtykkekvittering",
    [CC_S_RECEIPT_TITLE] = "Samtykkekvittering",
    [CC_S_RECEIPT_INTRO] = "Dette er registreringen af dit seneste valg om cookies på denne "
                           "hjemmeside.",
    [CC_S_RECEIPT_ID] = "Samtykke-id",
    [CC_S_RECEIPT_TIME] = "Dato (UTC)",
    [CC_S_RECEIPT_ACTION] = "Valg",
    [CC_S_RECEIPT_ACCEPTED] = "Accepterede kategorier",
    [CC_S_RECEIPT_REFUSED] = "Afviste kategorier",
    [CC_S_RECEIPT_DECLARATIONS] = "Version af cookieerklæringerne",
    [CC_S_RECEIPT_REVISION] = "Udgave",
    [CC_S_RECEIPT_TEXTS] = "Fingeraftryk af de viste tekster (SHA-256)",
    [CC_S_RECEIPT_LANG] = "Sprog",
    [CC_S_RECEIPT_SOURCE] = "Hvor du valgte",
    [CC_S_RECEIPT_PREVIOUS] = "Tidligere valg",
    [CC_S_RECEIPT_FROM_COOKIE] = "Kvitteringen læses fra din samtykkecookie; hjemmesiden gemmer "
                                 "registreringen af dit valg under samme samtykke-id.",
    [CC_S_RECEIPT_WITHDRAW] = "Du kan til enhver tid trække dit samtykke tilbage eller ændre det "
                              "i privatlivsindstillingerne; det er lige så let at trække det "
                              "tilbage som at give det.",
    [CC_S_CONTINUE] = "Fortsæt",
};

static const char *const cc_key_names[CC_S_COUNT] = {
    [CC_S_BANNER_TITLE] = "banner_title",
    [CC_S_BANNER_TEXT] = "banner_text",
    [CC_S_ACCEPT_ALL] = "accept_all",
    [CC_S_REJECT_ALL] = "reject_all",
    [CC_S_CUSTOMISE] = "customise",
    [CC_S_POLICY_LINK] = "policy_link",
    [CC_S_PRIVACY_SETTINGS] = "privacy_settings",
    [CC_S_SETTINGS_INTRO] = "settings_intro",
    [CC_S_ALWAYS_ON] = "always_on",
    [CC_S_SAVE] = "save",
    [CC_S_CLOSE] = "close",
    [CC_S_COL_COOKIE] = "col_cookie",
    [CC_S_COL_DOMAIN] = "col_domain",
    [CC_S_COL_PURPOSE] = "col_purpose",
    [CC_S_COL_RETENTION] = "col_retention",
    [CC_S_HOST_ONLY] = "host_only",
    [CC_S_POLICY_TITLE] = "policy_title",
    [CC_S_POLICY_INTRO] = "policy_intro",
    [CC_S_COL_NAME] = "col_name",
    [CC_S_COL_TYPE] = "col_type",
    [CC_S_COL_WEBSITE] = "col_website",
    [CC_S_COL_EXPLANATION] = "col_explanation",
    [CC_S_LIFETIME] = "lifetime",
    [CC_S_CHANGE] = "change",
    [CC_S_SESSION] = "session",
    [CC_S_DAY] = "day",
    [CC_S_DAYS] = "days",
    [CC_S_DAYS_FEW] = "days_few",
    [CC_S_MONTH] = "month",
    [CC_S_MONTHS] = "months",
    [CC_S_MONTHS_FEW] = "months_few",
    [CC_S_YEAR] = "year",
    [CC_S_YEARS] = "years",
    [CC_S_YEARS_FEW] = "years_few",
    [CC_S_SAVED] = "saved",
    [CC_S_CURRENT_CHOICE] = "current_choice",
    [CC_S_NOT_DECIDED] = "not_decided",
    [CC_S_UNSPECIFIED] = "unspecified",
    [CC_S_BACK] = "back",
    [CC_S_COOKIES_OF] = "cookies_of",
    [CC_S_PLACEHOLDER] = "placeholder",
    [CC_S_ALLOW_LOAD] = "allow_load",
    [CC_S_WITHDRAW_RELOADS] = "withdraw_reloads",
    [CC_S_RECEIPT] = "receipt",
    [CC_S_RECEIPT_TITLE] = "receipt_title",
    [CC_S_RECEIPT_INTRO] = "receipt_intro",
    [CC_S_RECEIPT_ID] = "receipt_id",
    [CC_S_RECEIPT_TIME] = "receipt_time",
    [CC_S_RECEIPT_ACTION] = "receipt_action",
    [CC_S_RECEIPT_ACCEPTED] = "receipt_accepted",
    [CC_S_RECEIPT_REFUSED] = "receipt_refused",
    [CC_S_RECEIPT_DECLARATIONS] = "receipt_declarations",
    [CC_S_RECEIPT_REVISION] = "receipt_revision",
    [CC_S_RECEIPT_TEXTS] = "receipt_texts",
    [CC_S_RECEIPT_LANG] = "receipt_lang",
    [CC_S_RECEIPT_SOURCE] = "receipt_source",
    [CC_S_RECEIPT_PREVIOUS] = "receipt_previous",
    [CC_S_RECEIPT_FROM_COOKIE] = "receipt_from_cookie",
    [CC_S_RECEIPT_WITHDRAW] = "receipt_withdraw",
    [CC_S_CONTINUE] = "continue",
};

/* The languages with built-in interface strings: a new language is a table above and an entry
 * here (English first: it is the fallback). */
static const char *const cc_builtin_tags[] = {"en", "fr", "de", "es", "it", "nl", "pt", "pl",
                                               "sv", "da", NULL};
static const char *const *const cc_builtin_strings[] = {cc_en, cc_fr, cc_de, cc_es, cc_it, cc_nl,
                                                        cc_pt, cc_pl, cc_sv, cc_da};
_Static_assert(sizeof(cc_builtin_tags) / sizeof(*cc_builtin_tags)
               == sizeof(cc_builtin_strings) / sizeof(*cc_builtin_strings) + 1,
               "one string table per built-in language tag");

static int cc_primary_is(const char *lang, const char *primary)
{
    apr_size_t n = strlen(primary);

    return lang && !strncasecmp(lang, primary, n) && (lang[n] == '\0' || lang[n] == '-'
                                                      || lang[n] == '_');
}

/* Index in cc_builtin_tags of lang's primary subtag, or -1. */
static int cc_builtin_index(const char *lang)
{
    int i;

    for (i = 0; cc_builtin_tags[i]; i++) {
        if (cc_primary_is(lang, cc_builtin_tags[i])) {
            return i;
        }
    }
    return -1;
}

const char *const *cc_i18n_builtin(void)
{
    return cc_builtin_tags;
}

int cc_i18n_has(const char *lang)
{
    return cc_builtin_index(lang) >= 0;
}

const char *cc_i18n(const char *lang, cc_string_e id)
{
    int i = cc_builtin_index(lang);

    if (id < 0 || id >= CC_S_COUNT) {
        return "";
    }
    return cc_builtin_strings[i < 0 ? 0 : i][id];
}

/* 1 when a and b have the same primary subtag ("pt-BR", "pt"). */
static int cc_same_primary(const char *a, const char *b)
{
    apr_size_t n = strcspn(a, "-_");

    return n == strcspn(b, "-_") && !strncasecmp(a, b, n);
}

const char *cc_i18n_site(const apr_array_header_t *ui, const char *lang, cc_string_e id)
{
    const cc_ui_text_t *t, *primary = NULL, *sibling = NULL;
    int i;

    for (i = 0; ui && lang && i < ui->nelts; i++) {
        t = &APR_ARRAY_IDX(ui, i, cc_ui_text_t);
        if (t->key != (int)id || !cc_same_primary(t->lang, lang)) {
            continue;
        }
        if (!strcasecmp(t->lang, lang)) {
            return t->text;                     /* "pt-BR" for "pt-BR" */
        }
        if (!t->lang[strcspn(t->lang, "-_")]) {
            primary = t;                        /* "pt" for "pt-BR" */
        }
        else if (!sibling) {
            sibling = t;                        /* "pt-BR" for "pt-PT" */
        }
    }
    if (primary) {
        return primary->text;
    }
    if (cc_i18n_has(lang)) {
        return cc_i18n(lang, id);
    }
    /* Nothing built in for the language: a sibling region's text, else the site's English. */
    return sibling ? sibling->text : lang && cc_same_primary(lang, "en") ? cc_i18n("en", id)
                                   : cc_i18n_site(ui, "en", id);
}

int cc_i18n_key(const char *name)
{
    int i;

    for (i = 0; name && i < CC_S_COUNT; i++) {
        if (!strcasecmp(cc_key_names[i], name)) {
            return i;
        }
    }
    return -1;
}

const char *cc_i18n_key_name(cc_string_e id)
{
    return id >= 0 && id < CC_S_COUNT ? cc_key_names[id] : "";
}

const char *cc_i18n_text_check(apr_pool_t *p, cc_string_e id, const char *text)
{
    const char *s;
    int want = 0, got = 0;

    for (s = cc_en[id]; (s = strstr(s, "%s")); s += 2) {
        want++;
    }
    if (!want) {
        return NULL;                            /* written as it is: no format */
    }
    for (s = text; *s; s++) {
        if (*s != '%') {
            continue;
        }
        if (s[1] == 's') {
            got++;
        }
        else if (s[1] != '%') {
            return apr_psprintf(p, "%s: \"%%%.1s\" is not allowed: the text takes %%s (%d) and "
                                "%%%% for a percent sign", cc_key_names[id], s + 1, want);
        }
        s++;
    }
    if (got != want) {
        return apr_psprintf(p, "%s needs exactly %d %%s (%s), the text has %d", cc_key_names[id],
                            want, id == CC_S_LIFETIME ? "the consent lifetime"
                            : id == CC_S_COOKIES_OF ? "the category's title"
                            : "the service, then the category's title", got);
    }
    return NULL;
}

const char *cc_i18n_missing(apr_pool_t *p, const apr_array_header_t *ui)
{
    const cc_ui_text_t *t, *u;
    char given[CC_S_COUNT];
    const char *missing;
    int i, j, k, n;

    for (i = 0; ui && i < ui->nelts; i++) {
        t = &APR_ARRAY_IDX(ui, i, cc_ui_text_t);
        if (cc_i18n_has(t->lang)) {
            continue;
        }
        for (j = 0; j < i; j++) {           /* each language once, where it first appears */
            if (!strcasecmp(APR_ARRAY_IDX(ui, j, cc_ui_text_t).lang, t->lang)) {
                break;
            }
        }
        if (j < i) {
            continue;
        }
        memset(given, 0, sizeof(given));
        for (j = i; j < ui->nelts; j++) {
            u = &APR_ARRAY_IDX(ui, j, cc_ui_text_t);
            if (!strcasecmp(u->lang, t->lang) && u->key >= 0 && u->key < CC_S_COUNT) {
                given[u->key] = 1;
            }
        }
        missing = "";
        for (k = n = 0; k < CC_S_COUNT; k++) {
            if (!given[k]) {
                missing = apr_pstrcat(p, missing, n++ ? " " : "", cc_key_names[k], NULL);
            }
        }
        if (n) {
            return apr_psprintf(p, "CookieConsentText %s (%s): \"%s\" has no built-in interface "
                                "strings, so every key must be given; %d missing: %s", t->lang,
                                t->where ? t->where : "?", t->lang, n, missing);
        }
    }
    return NULL;
}

/* 1 when one of texts (cc_text_t) is tagged lang (case-insensitive); "" means untagged. */
static int cc_texts_tagged(const apr_array_header_t *texts, const char *lang)
{
    const cc_text_t *t;
    int i;

    if (!texts) {
        return 0;
    }
    t = (const cc_text_t *)texts->elts;
    for (i = 0; i < texts->nelts; i++) {
        if (!strcasecmp(t[i].lang, lang)) {
            return 1;
        }
    }
    return 0;
}

/* 1 when a Title, Description or Purpose of the declarations is tagged lang. */
static int cc_decl_has_texts(const cc_decl_t *d, const char *lang)
{
    int i;

    for (i = 0; d->categories && i < d->categories->nelts; i++) {
        const cc_category_t *c = APR_ARRAY_IDX(d->categories, i, const cc_category_t *);
        if (cc_texts_tagged(c->titles, lang) || cc_texts_tagged(c->descriptions, lang)
            || cc_texts_tagged(c->summaries, lang)) {
            return 1;
        }
    }
    for (i = 0; d->cookies && i < d->cookies->nelts; i++) {
        const cc_cookie_decl_t *r = APR_ARRAY_IDX(d->cookies, i, const cc_cookie_decl_t *);
        if (cc_texts_tagged(r->purposes, lang)) {
            return 1;
        }
    }
    for (i = 0; *lang && d->ui_texts && i < d->ui_texts->nelts; i++) {
        if (!strcasecmp(APR_ARRAY_IDX(d->ui_texts, i, cc_ui_text_t).lang, lang)) {
            return 1;
        }
    }
    return 0;
}

/* Pushes lang onto out unless it is there (case-insensitive). */
static void cc_push_lang(apr_array_header_t *out, const char *lang)
{
    int i;

    for (i = 0; i < out->nelts; i++) {
        if (!strcasecmp(APR_ARRAY_IDX(out, i, const char *), lang)) {
            return;
        }
    }
    APR_ARRAY_PUSH(out, const char *) = lang;
}

apr_array_header_t *cc_lang_offered(apr_pool_t *p, const cc_decl_t *d,
                                    const char *const *builtin)
{
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(const char *));
    const char **l;
    int i, en_default, first = -1;

    /* The untagged texts are the site's own default language, taken to be English. */
    en_default = cc_decl_has_texts(d, "") || cc_decl_has_texts(d, "en");
    for (i = 0; builtin && builtin[i]; i++) {
        if (!strcasecmp(builtin[i], "en")) {
            APR_ARRAY_PUSH(out, const char *) = builtin[i];
        }
        else if (cc_decl_has_texts(d, builtin[i])) {
            if (first < 0) {
                first = out->nelts;
            }
            APR_ARRAY_PUSH(out, const char *) = builtin[i];
        }
    }
    /* Languages the site wrote the whole interface in (cc_i18n_missing checked them). */
    for (i = 0; d->ui_texts && i < d->ui_texts->nelts; i++) {
        const char *lang = APR_ARRAY_IDX(d->ui_texts, i, cc_ui_text_t).lang;
        if (!cc_i18n_has(lang)) {
            if (first < 0) {
                first = out->nelts;
            }
            cc_push_lang(out, lang);
        }
    }
    for (i = 0; i < out->nelts && strcasecmp(APR_ARRAY_IDX(out, i, const char *), "en"); i++) {
    }
    if (i == out->nelts) {
        APR_ARRAY_PUSH(out, const char *) = "en";   /* always offered, even if not built in */
    }
    l = (const char **)out->elts;
    if (en_default || first < 0) {
        first = i;                                  /* English is the default */
    }
    if (first > 0) {                                /* move the default to the front */
        const char *def = l[first];
        memmove(l + 1, l, first * sizeof(*l));
        l[0] = def;
    }
    return out;
}

/* The offered language matching tag exactly, else by primary subtag (either way), else NULL. */
static const char *cc_lang_match(const apr_array_header_t *offered, const char *tag,
                                 apr_size_t taglen)
{
    int i;
    apr_size_t plen;

    if (!tag || !taglen) {
        return NULL;
    }
    for (i = 0; i < offered->nelts; i++) {
        const char *o = APR_ARRAY_IDX(offered, i, const char *);
        if (strlen(o) == taglen && !strncasecmp(o, tag, taglen)) {
            return o;
        }
    }
    for (plen = 0; plen < taglen && tag[plen] != '-' && tag[plen] != '_'; plen++) {
    }
    for (i = 0; i < offered->nelts; i++) {
        const char *o = APR_ARRAY_IDX(offered, i, const char *);
        apr_size_t olen = strcspn(o, "-");
        if (olen == plen && !strncasecmp(o, tag, plen)) {
            return o;
        }
    }
    return NULL;
}

/* q-value of one Accept-Language item's parameters, in thousandths. */
static int cc_qvalue(const char *params, const char *end)
{
    const char *q = params;
    int v, scale;

    while (q < end && (*q == ';' || *q == ' ' || *q == '\t')) {
        q++;
    }
    if (end - q < 3 || (q[0] != 'q' && q[0] != 'Q') || q[1] != '=') {
        return 1000;
    }
    q += 2;
    if (*q == '1') {
        return 1000;
    }
    if (*q != '0') {
        return 0;                       /* malformed: ignore the item */
    }
    v = 0;
    scale = 100;
    for (q++, q += (q < end && *q == '.'); q < end && *q >= '0' && *q <= '9' && scale; q++) {
        v += (*q - '0') * scale;
        scale /= 10;
    }
    return v;
}

const char *cc_lang_choose(const apr_array_header_t *offered, const char *query_lang,
                           const char *cookie_lang, const char *accept_language)
{
    const char *m, *s, *e, *tag_end, *best = NULL;
    int q, best_q = 0;

    if (!offered || !offered->nelts) {
        return "en";
    }
    if ((m = cc_lang_match(offered, query_lang, query_lang ? strlen(query_lang) : 0))
        || (m = cc_lang_match(offered, cookie_lang, cookie_lang ? strlen(cookie_lang) : 0))) {
        return m;
    }
    for (s = accept_language; s && *s; s = *e ? e + 1 : e) {
        e = strchr(s, ',');
        if (!e) {
            e = s + strlen(s);
        }
        while (s < e && (*s == ' ' || *s == '\t')) {
            s++;
        }
        tag_end = s;
        while (tag_end < e && *tag_end != ';' && *tag_end != ' ' && *tag_end != '\t') {
            tag_end++;
        }
        q = cc_qvalue(tag_end, e);
        m = cc_lang_match(offered, s, tag_end - s);
        if (m && q > best_q) {     /* ties keep the earlier item, as listed by the browser */
            best = m;
            best_q = q;
        }
    }
    return best ? best : APR_ARRAY_IDX(offered, 0, const char *);
}

const char *cc_i18n_duration(apr_pool_t *p, const apr_array_header_t *ui, const char *lang,
                             const char *text)
{
    char *unit;
    long n;
    cc_string_e one, few, many;

    if (!text || !*text) {
        return cc_i18n_site(ui, lang, CC_S_UNSPECIFIED);
    }
    if (!strcmp(text, "session")) {
        return cc_i18n_site(ui, lang, CC_S_SESSION);
    }
    n = strtol(text, &unit, 10);
    if (!strcmp(unit, "d")) {
        one = CC_S_DAY, few = CC_S_DAYS_FEW, many = CC_S_DAYS;
    }
    else if (!strcmp(unit, "mo")) {
        one = CC_S_MONTH, few = CC_S_MONTHS_FEW, many = CC_S_MONTHS;
    }
    else if (!strcmp(unit, "y")) {
        one = CC_S_YEAR, few = CC_S_YEARS_FEW, many = CC_S_YEARS;
    }
    else {
        return text;
    }
    /* The "few" form: 2-4, 22-24, ... but not 12-14 (Polish; the other languages repeat their
     * plural there). */
    return apr_psprintf(p, "%ld %s", n, cc_i18n_site(ui, lang, n == 1 ? one
                                                    : n % 10 >= 2 && n % 10 <= 4
                                                      && (n % 100 < 12 || n % 100 > 14) ? few
                                                    : many));
}
