//! What a page shows when a fetch failed: what went wrong and a retry button.

use leptos::prelude::*;

use crate::api::FetchError;
use crate::components::not_found::NotFoundMessage;
use crate::dom;

/// Not-found errors show the 404 message; network, status and decode errors explain
/// themselves and offer a retry.
#[component]
pub fn ErrorView(error: FetchError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    // A reader offline who follows a link to a post not saved on the device: say so
    // (the posts opened before still open; the retry works once the connection is back).
    let offline = matches!(error, FetchError::Network)
        && dom::window().is_some_and(|w| !w.navigator().on_line());
    let (title, hint) = match &error {
        FetchError::Network if offline => (
            "オフラインです",
            "この記事はまだこの端末に保存されていません。接続が戻ったら「再試行」を押してください。一度開いた記事は接続なしで読めます。",
        ),
        FetchError::NotFound => return view! { <NotFoundMessage /> }.into_any(),
        FetchError::NewerBundle(_) => {
            return view! {
                <section class="error-view" role="alert" data-error="update">
                    <p class="error-view-title">"新しい版があります — 再読み込み"</p>
                    <p class="error-view-hint">
                        "サイトが更新されました。ページを再読み込みすると新しい版で表示します。"
                    </p>
                    <p class="error-view-detail">{error.to_string()}</p>
                    <button type="button" class="button error-view-retry" on:click=|_| dom::reload()>
                        "再読み込み"
                    </button>
                </section>
            }
            .into_any()
        }
        FetchError::Network => (
            "読み込めませんでした",
            "ネットワークに接続できませんでした。接続を確認してもう一度お試しください。",
        ),
        FetchError::Status(404) => (
            "サイトのデータが見つかりません",
            "公開中のデータが不完全なようです。時間をおいてもう一度お試しください。",
        ),
        FetchError::Status(_) => (
            "サーバーでエラーが起きました",
            "時間をおいてもう一度お試しください。",
        ),
        FetchError::Decode(_) => (
            "データが壊れています",
            "サイトのデータを読み取れませんでした。再読み込みで直らない場合はサイトの管理者にお知らせください。",
        ),
    };
    let kind = match &error {
        FetchError::Network if offline => "offline",
        FetchError::Network => "network",
        FetchError::Status(_) => "status",
        _ => "decode",
    };
    view! {
        <section class="error-view" role="alert" data-error=kind>
            <p class="error-view-title">{title}</p>
            <p class="error-view-hint">{hint}</p>
            <p class="error-view-detail">{error.to_string()}</p>
            <button type="button" class="button error-view-retry" on:click=move |_| on_retry.run(())>
                "再試行"
            </button>
        </section>
    }
    .into_any()
}
