import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerCredentials } from "./AwsSecretManagerCredentials.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity } from "./AuthPodIdentity.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerSecret } from "./AwsSecretManagerSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * AwsSecretManager is used to authenticate using AwsSecretManager
 */
export interface IAwsSecretManager {
    "credentials"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerCredentials;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "region"?: string;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerSecret>;
}
/**
 * AwsSecretManager is used to authenticate using AwsSecretManager
 */
export declare class AwsSecretManager extends Model<IAwsSecretManager> implements IAwsSecretManager {
    "credentials"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerCredentials;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "region"?: string;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManagerSecret>;
    constructor(data?: ModelData<IAwsSecretManager>);
}
export type { IAwsSecretManager as IComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManager, AwsSecretManager as ComGithubKedacoreKedaV2ApisKedaV1alpha1AwsSecretManager };
